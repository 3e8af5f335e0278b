namespace Tributary.Kql.Tests.Coverage;

/// <summary>
/// The Kusto names coverage is measured against, read from kusto-names.txt: one name a line under a
/// <c>[section]</c> header, <c>#</c> starting a comment. The file's header says where the names come from and
/// which Kusto names are left out.
/// </summary>
internal sealed class KustoNames
{
    public const string FilePath = "tests/Tributary.Kql.Tests/Coverage/kusto-names.txt";

    private static readonly string[] Sections =
        ["scalar", "aggregate", "operator", "operator-alias", "deprecated-scalar", "deprecated-aggregate", "syntax"];

    private readonly Dictionary<string, SortedSet<string>> _sections;

    private KustoNames(Dictionary<string, SortedSet<string>> sections) => _sections = sections;

    /// <summary>Current, portable scalar functions: the ones counted.</summary>
    public IReadOnlySet<string> Scalars => _sections["scalar"];

    public IReadOnlySet<string> Aggregates => _sections["aggregate"];

    public IReadOnlySet<string> Operators => _sections["operator"];

    /// <summary>Second spellings of operators (filter, order, limit …): real Kusto names, counted under their operator.</summary>
    public IReadOnlySet<string> OperatorAliases => _sections["operator-alias"];

    /// <summary>Obsolete scalar names (pack, toobject …): real Kusto names, not counted.</summary>
    public IReadOnlySet<string> DeprecatedScalars => _sections["deprecated-scalar"];

    public IReadOnlySet<string> DeprecatedAggregates => _sections["deprecated-aggregate"];

    /// <summary>Keywords written like calls (toscalar, materialize): real Kusto names, not in Kusto's function lists.</summary>
    public IReadOnlySet<string> Syntax => _sections["syntax"];

    public static KustoNames Load() => Parse(File.ReadAllLines(Repository.PathOf(FilePath)));

    public static KustoNames Parse(IEnumerable<string> lines)
    {
        var sections = Sections.ToDictionary(s => s, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        SortedSet<string>? current = null;
        var lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            var comment = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (comment < 0 ? raw : raw[..comment]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections.TryGetValue(line[1..^1], out var section)
                    ? section
                    : throw new FormatException($"line {lineNumber}: unknown section {line}");
                continue;
            }

            if (current is null || line.Contains(' ', StringComparison.Ordinal) || !current.Add(line))
            {
                throw new FormatException($"line {lineNumber}: '{line}' is outside a section, not one name, or repeated");
            }
        }

        return new KustoNames(sections);
    }
}
