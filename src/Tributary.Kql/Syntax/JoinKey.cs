namespace Tributary.Kql.Syntax;

/// <summary>A join key pair: the left column and the right column (equal for <c>on a</c>).</summary>
internal sealed record JoinKey(string Left, string Right, SourcePosition Pos);
