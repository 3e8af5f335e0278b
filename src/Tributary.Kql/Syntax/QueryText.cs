namespace Tributary.Kql.Syntax;

/// <summary>A whole query: statements (<c>let</c>, <c>declare query_parameters</c>) then one tabular expression.</summary>
internal sealed record QueryText(IReadOnlyList<Statement> Statements, TabularExpr? Body, Expr? ScalarBody);
