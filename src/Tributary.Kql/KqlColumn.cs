namespace Tributary.Kql;

/// <summary>A named, typed column of a table or a query result.</summary>
public sealed record KqlColumn(string Name, KqlType Type)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name}:{KqlTypes.Name(Type)}";
}
