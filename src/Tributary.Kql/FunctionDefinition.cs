namespace Tributary.Kql;

/// <summary>A stored function: <c>.create-or-alter function Name(a:type, …) { Body }</c>.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<FunctionParameter> Parameters, string Body)
{
    /// <summary>The parameter list in Kusto's <c>(a:datetime, b:datetime)</c> form.</summary>
    public string ParameterList => "(" + string.Join(", ", Parameters.Select(p => p.ToString())) + ")";
}

/// <summary>A parameter of a stored or <c>let</c> function. A null <see cref="Type"/> means a tabular parameter.</summary>
public sealed record FunctionParameter(string Name, KqlType? Type, string? DefaultValue = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}:{(Type is { } t ? KqlTypes.Name(t) : "(*)")}{(DefaultValue is null ? "" : " = " + DefaultValue)}";
}
