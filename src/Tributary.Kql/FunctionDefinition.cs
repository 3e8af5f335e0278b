namespace Tributary.Kql;

/// <summary>A stored function: <c>.create-or-alter function Name(a:type, …) { Body }</c>.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<FunctionParameter> Parameters, string Body)
{
    /// <summary>The parameter list in Kusto's <c>(a:datetime, b:datetime)</c> form.</summary>
    public string ParameterList => "(" + string.Join(", ", Parameters.Select(p => p.ToString())) + ")";
}

/// <summary>
/// A parameter of a stored or <c>let</c> function. A null <see cref="Type"/> means a tabular parameter, whose
/// <see cref="Columns"/> are the columns it declares (<c>T:(x:long, s:string)</c>), or null for any table (<c>T:(*)</c>).
/// </summary>
public sealed record FunctionParameter(string Name, KqlType? Type, string? DefaultValue = null, IReadOnlyList<KqlColumn>? Columns = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}:{(Type is { } t ? KqlTypes.Name(t) : TableSchemaText)}{(DefaultValue is null ? "" : " = " + DefaultValue)}";

    private string TableSchemaText =>
        Columns is null ? "(*)" : "(" + string.Join(", ", Columns.Select(c => $"{c.Name}:{KqlTypes.Name(c.Type)}")) + ")";
}
