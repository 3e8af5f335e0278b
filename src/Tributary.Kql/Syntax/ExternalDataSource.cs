namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>externaldata (Column: type, …) [Location, …] [with (format=…, ignoreFirstRecord=…)]</c>: rows read from files.
/// <see cref="Properties"/> holds each property's value expression and the position of its name.
/// </summary>
internal sealed record ExternalDataSource(
    SourcePosition Pos,
    IReadOnlyList<KqlColumn> Columns,
    IReadOnlyList<Expr> Locations,
    IReadOnlyDictionary<string, (Expr Value, SourcePosition Pos)> Properties) : TabularExpr(Pos);
