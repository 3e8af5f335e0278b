namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>find [withsource=Name] [in (Table, Pattern*, (Query), …)] where Predicate [project-smart | project Column[:type], …, pack_all()]</c>
/// (or <c>find Predicate …</c>). <see cref="Tables"/> is null for every table; <see cref="Project"/> is null for
/// project-smart.
/// </summary>
internal sealed record FindSource(SourcePosition Pos, string SourceColumn, IReadOnlyList<TabularExpr>? Tables, Expr Predicate, IReadOnlyList<FindColumn>? Project, bool PackAll) : TabularExpr(Pos);

/// <summary>A column <c>find … project</c> names, with the type to give it.</summary>
internal sealed record FindColumn(string Name, KqlType? Type, SourcePosition Pos);
