namespace Tributary.Kql.Syntax;

/// <summary>One element of a <c>parse … with</c> pattern: a text constant, <c>*</c>, or a column to extract (with its type).</summary>
internal sealed record ParseItem(string? Text, string? Column, KqlType Type, bool Wildcard, SourcePosition Pos);
