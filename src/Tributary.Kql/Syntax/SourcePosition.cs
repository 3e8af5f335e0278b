namespace Tributary.Kql.Syntax;

/// <summary>A 1-based line and column in the query text.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public KqlException Error(string message) => new(message, Line, Column);
}
