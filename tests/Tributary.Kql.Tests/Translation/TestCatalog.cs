namespace Tributary.Kql.Tests.Translation;

/// <summary>An in-memory catalog: a few tables and stored functions, listed for "did you mean" hints.</summary>
internal sealed class TestCatalog : ICatalog, ICatalogListing
{
    private readonly Dictionary<string, TableSchema> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FunctionDefinition> _functions = new(StringComparer.Ordinal);

    public static TestCatalog Default { get; } = new TestCatalog()
        .Table("Events", ("Timestamp", KqlType.DateTime), ("Region", KqlType.String), ("Host", KqlType.String),
            ("Cpu", KqlType.Real), ("Requests", KqlType.Long), ("Props", KqlType.Dynamic))
        .Table("Hosts", ("HostId", KqlType.String), ("Region", KqlType.String))
        .Table("Evil\"; DROP TABLE Events; --", ("x'); DROP TABLE Events; --", KqlType.String), ("a\"b", KqlType.Long))
        .Function(new FunctionDefinition("BusyHosts", [new FunctionParameter("min", KqlType.Real)], "Events | where Cpu > min"));

    public TestCatalog Table(string name, params (string Name, KqlType Type)[] columns)
    {
        _tables[name] = new TableSchema(name, columns.Select(c => new KqlColumn(c.Name, c.Type)).ToList());
        return this;
    }

    public TestCatalog Function(FunctionDefinition function)
    {
        _functions[function.Name] = function;
        return this;
    }

    public bool TryGetTable(string name, out TableSchema table) => _tables.TryGetValue(name, out table!);

    public bool TryGetFunction(string name, out FunctionDefinition function) => _functions.TryGetValue(name, out function!);

    public IEnumerable<string> TableNames() => _tables.Keys;

    public IEnumerable<string> FunctionNames() => _functions.Keys;
}
