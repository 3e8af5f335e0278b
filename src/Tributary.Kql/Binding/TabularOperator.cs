namespace Tributary.Kql.Binding;

/// <summary>One tabular operator Tributary supports, as docs/kql.md and the coverage test list it.</summary>
/// <param name="Name">The name as Kusto spells it (<c>mv-expand</c>).</param>
/// <param name="Syntax">The forms accepted, for docs/kql.md.</param>
/// <param name="Summary">What it does, in a sentence or two.</param>
internal sealed record TabularOperator(string Name, string Syntax, string Summary)
{
    /// <summary>Other spellings (<c>filter</c> for <c>where</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>True for operators that start a query (print, range, datatable) rather than follow a pipe.</summary>
    public bool IsSource { get; init; }

    /// <summary>What Tributary accepts or does differently from Kusto; null when nothing.</summary>
    public string? Difference { get; init; }

    public IEnumerable<string> Names => [Name, .. Aliases];
}
