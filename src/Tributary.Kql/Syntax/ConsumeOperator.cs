namespace Tributary.Kql.Syntax;

/// <summary><c>consume [decodeblocks=bool]</c>: reads the input and returns none of its rows.</summary>
internal sealed record ConsumeOperator(SourcePosition Pos) : QueryOperator(Pos);
