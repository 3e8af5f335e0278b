namespace Tributary.Kql.Syntax;

/// <summary><c>top-hitters N of Column [by Weight]</c>: the N values of a column that occur most often (or weigh most).</summary>
internal sealed record TopHittersOperator(SourcePosition Pos, Expr Count, Expr Of, Expr? By) : QueryOperator(Pos);
