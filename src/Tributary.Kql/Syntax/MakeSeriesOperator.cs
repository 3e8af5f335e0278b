namespace Tributary.Kql.Syntax;

/// <summary><c>make-series Agg [default=D], … on Axis [from S] [to E] step T [by Keys]</c>.</summary>
internal sealed record MakeSeriesOperator(
    SourcePosition Pos,
    IReadOnlyList<(Assignment Aggregate, Expr? Default)> Aggregates,
    Expr Axis,
    Expr? From,
    Expr? To,
    Expr Step,
    IReadOnlyList<Assignment> By) : QueryOperator(Pos);
