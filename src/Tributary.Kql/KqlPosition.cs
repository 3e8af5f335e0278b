namespace Tributary.Kql;

/// <summary>
/// A 1-based line and column in the text the user typed. A control command's body (the query after
/// <c>&lt;|</c>, the body between <c>{ }</c>) is handed on as its own text together with the position where
/// it begins, so errors inside it point at the right place of the whole command.
/// </summary>
/// <remarks>The default value (0:0) means no position; use <see cref="Start"/> for the beginning of a text.</remarks>
public readonly record struct KqlPosition(int Line, int Column)
{
    /// <summary>Line 1, column 1: where a text that stands alone begins.</summary>
    public static KqlPosition Start { get; } = new(1, 1);

    /// <inheritdoc/>
    public override string ToString() => $"{Line}:{Column}";
}
