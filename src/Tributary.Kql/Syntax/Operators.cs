namespace Tributary.Kql.Syntax;

// The tabular expression tree: a source followed by piped operators.

/// <summary>An optional output name and its expression (<c>Name = Expr</c> or just <c>Expr</c>).</summary>
internal sealed record Assignment(string? Name, Expr Expr, SourcePosition Pos);

internal sealed record OrderingTerm(Expr Expr, bool Ascending, bool? NullsFirst);

internal abstract record TabularExpr(SourcePosition Pos);

/// <summary><c>source | op | op …</c>.</summary>
internal sealed record PipelineExpr(SourcePosition Pos, TabularExpr Source, IReadOnlyList<QueryOperator> Operators) : TabularExpr(Pos);

/// <summary>A table, a tabular <c>let</c> name, or a parameterless function.</summary>
internal sealed record NameSource(SourcePosition Pos, string Name) : TabularExpr(Pos);

/// <summary>A call of a stored or <c>let</c> function in tabular position.</summary>
internal sealed record CallSource(SourcePosition Pos, string Name, IReadOnlyList<Expr> Args) : TabularExpr(Pos);

internal sealed record DatatableSource(SourcePosition Pos, IReadOnlyList<KqlColumn> Columns, IReadOnlyList<Expr> Values) : TabularExpr(Pos);

internal sealed record RangeSource(SourcePosition Pos, string Column, Expr From, Expr To, Expr Step) : TabularExpr(Pos);

internal sealed record PrintSource(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : TabularExpr(Pos);

internal sealed record UnionSource(SourcePosition Pos, UnionOperator Union) : TabularExpr(Pos);

internal abstract record QueryOperator(SourcePosition Pos);

internal sealed record WhereOperator(SourcePosition Pos, Expr Predicate) : QueryOperator(Pos);

internal sealed record ProjectOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);

/// <summary><c>project-away</c> (Keep = false) or <c>project-keep</c> (Keep = true) with column names or wildcards.</summary>
internal sealed record ProjectAwayOperator(SourcePosition Pos, IReadOnlyList<(string Pattern, SourcePosition Pos)> Columns, bool Keep) : QueryOperator(Pos);

internal sealed record ProjectRenameOperator(SourcePosition Pos, IReadOnlyList<(string NewName, string OldName, SourcePosition Pos)> Renames) : QueryOperator(Pos);

internal sealed record ProjectReorderOperator(SourcePosition Pos, IReadOnlyList<(string Pattern, SourcePosition Pos)> Columns) : QueryOperator(Pos);

internal sealed record ExtendOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);

internal sealed record SummarizeOperator(SourcePosition Pos, IReadOnlyList<Assignment> Aggregates, IReadOnlyList<Assignment> By) : QueryOperator(Pos);

internal sealed record SortOperator(SourcePosition Pos, IReadOnlyList<OrderingTerm> Keys) : QueryOperator(Pos);

internal sealed record TopOperator(SourcePosition Pos, Expr Count, OrderingTerm Key) : QueryOperator(Pos);

internal sealed record TakeOperator(SourcePosition Pos, Expr Count) : QueryOperator(Pos);

/// <summary><c>distinct a, b</c>; an empty list means <c>distinct *</c>.</summary>
internal sealed record DistinctOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);

internal sealed record CountOperator(SourcePosition Pos) : QueryOperator(Pos);

/// <summary>A join key pair: the left column and the right column (equal for <c>on a</c>).</summary>
internal sealed record JoinKey(string Left, string Right, SourcePosition Pos);

internal sealed record JoinOperator(SourcePosition Pos, string Kind, TabularExpr Right, IReadOnlyList<JoinKey> On) : QueryOperator(Pos);

internal sealed record LookupOperator(SourcePosition Pos, string Kind, TabularExpr Right, IReadOnlyList<JoinKey> On) : QueryOperator(Pos);

internal sealed record MvExpandItem(string? Name, Expr Expr, KqlType? ToType);

/// <summary><c>mv-expand</c>; <see cref="BagsAsArrays"/> is <c>kind=array</c> (a property becomes [key, value] instead of {key: value}).</summary>
internal sealed record MvExpandOperator(SourcePosition Pos, IReadOnlyList<MvExpandItem> Items, string? ItemIndex, Expr? Limit, bool BagsAsArrays = false) : QueryOperator(Pos);

internal sealed record SerializeOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);

internal sealed record AsOperator(SourcePosition Pos, string Name) : QueryOperator(Pos);

internal sealed record RenderOperator(SourcePosition Pos, string Kind, string? Title) : QueryOperator(Pos);

internal sealed record UnionOperator(SourcePosition Pos, IReadOnlyList<TabularExpr> Inputs, string Kind, string? WithSource) : QueryOperator(Pos);

internal sealed record GetSchemaOperator(SourcePosition Pos) : QueryOperator(Pos);

/// <summary>A whole query: statements (<c>let</c>, <c>declare query_parameters</c>) then one tabular expression.</summary>
internal sealed record QueryText(IReadOnlyList<Statement> Statements, TabularExpr? Body, Expr? ScalarBody);

internal abstract record Statement(SourcePosition Pos);

/// <summary><c>let Name = scalar | tabular | (params) { body }</c>.</summary>
internal sealed record LetStatement(SourcePosition Pos, string Name, Expr? Scalar, TabularExpr? Tabular, FunctionLiteral? Function) : Statement(Pos);

internal sealed record FunctionLiteral(IReadOnlyList<FunctionParameter> Parameters, QueryText Body);

internal sealed record DeclareParametersStatement(SourcePosition Pos, IReadOnlyList<FunctionParameter> Parameters, IReadOnlyList<Expr?> Defaults) : Statement(Pos);
