namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>scan [with_match_id = Id] [declare (Name: type [= Default], …)] with (step S [output = all|last|none]: Condition [=> Name = Expr, …]; …)</c>:
/// matches the serialized rows against a sequence of steps.
/// </summary>
internal sealed record ScanOperator(SourcePosition Pos, string? MatchId, IReadOnlyList<ScanDeclaration> Declarations, IReadOnlyList<ScanStep> Steps) : QueryOperator(Pos);

/// <summary>A column scan adds to its output, assigned by the steps; <see cref="Default"/> (null when absent) where a step does not assign it.</summary>
internal sealed record ScanDeclaration(SourcePosition Pos, string Name, KqlType Type, Expr? Default);

/// <summary>One step of scan: its name, which of its matches it outputs (all, last, none), its condition and its assignments.</summary>
internal sealed record ScanStep(SourcePosition Pos, string Name, string Output, Expr Condition, IReadOnlyList<Assignment> Assignments);
