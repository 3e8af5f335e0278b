namespace Tributary.Kql.Syntax;

/// <summary><c>parse-kv Expr as (Key:type, …) [with (…)]</c>: one column per key, its value found in the text.</summary>
internal sealed record ParseKvOperator(SourcePosition Pos, Expr Source, IReadOnlyList<ParseKvKey> Keys, ParseKvOptions Options) : QueryOperator(Pos);

/// <summary>A key <c>parse-kv</c> extracts, and the type of its column.</summary>
internal sealed record ParseKvKey(string Name, KqlType Type, SourcePosition Pos);

/// <summary>
/// How <c>parse-kv</c> finds keys and values: by <see cref="PairDelimiter"/> and <see cref="KvDelimiter"/> (both set), by
/// <see cref="Regex"/> (two groups: key, value), or else at word boundaries (any character but a letter or digit
/// delimits). <see cref="Quotes"/> are one- or two-character strings (open and close quote), <see cref="Escapes"/> one
/// character each; <see cref="Greedy"/> lets an unquoted value run up to the next key rather than the next pair delimiter.
/// </summary>
internal sealed record ParseKvOptions(string? PairDelimiter, string? KvDelimiter, IReadOnlyList<string> Quotes, IReadOnlyList<string> Escapes, bool Greedy, string? Regex)
{
    public static ParseKvOptions Default { get; } = new(null, null, [], [], false, null);
}
