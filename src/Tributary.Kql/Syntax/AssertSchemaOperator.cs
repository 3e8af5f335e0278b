namespace Tributary.Kql.Syntax;

/// <summary><c>assert-schema (Column: type, …)</c>: the input must have these columns, of these types.</summary>
internal sealed record AssertSchemaOperator(SourcePosition Pos, IReadOnlyList<(KqlColumn Column, SourcePosition Pos)> Columns) : QueryOperator(Pos);
