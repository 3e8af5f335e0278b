namespace Tributary.Kql.Syntax;

internal abstract record Statement(SourcePosition Pos);
