namespace Tributary.Kql.Syntax;

/// <summary>
/// An optional output name and its expression (<c>Name = Expr</c> or just <c>Expr</c>). In extend and project the
/// names may be a tuple, <c>(a, b, c) = series_fit_line(y)</c>: then <see cref="TupleNames"/> holds them and
/// <see cref="Name"/> is null.
/// </summary>
internal sealed record Assignment(string? Name, Expr Expr, SourcePosition Pos)
{
    public IReadOnlyList<string>? TupleNames { get; init; }
}
