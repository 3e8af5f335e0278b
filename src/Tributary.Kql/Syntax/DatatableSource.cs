namespace Tributary.Kql.Syntax;

internal sealed record DatatableSource(SourcePosition Pos, IReadOnlyList<KqlColumn> Columns, IReadOnlyList<Expr> Values) : TabularExpr(Pos);
