namespace Tributary.Kql.Syntax;

/// <summary>A whole query: statements (<c>let</c>, <c>declare query_parameters</c>) then one tabular expression.</summary>
/// <remarks>
/// In a function body the last expression may be scalar (<see cref="ScalarBody"/>). A body that is a lone name
/// or call (<c>{ x }</c>, <c>{ f(a) }</c>) has both: it reads as a table or as a scalar by how the function is called.
/// </remarks>
internal sealed record QueryText(IReadOnlyList<Statement> Statements, TabularExpr? Body, Expr? ScalarBody);
