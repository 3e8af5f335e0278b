using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Fleet;
using Tributary.Kql;
using Tributary.Tests.Store;

namespace Tributary.Tests.Fleet;

public sealed class FleetJsonLinesTests : TempDirectoryTest
{
    private static readonly DateTime From = new(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc);

    public FleetJsonLinesTests()
        : base("fleet-jsonl")
    {
    }

    [Fact]
    public void WrittenFiles_IngestIntoTheStore_WithTheRightCountsAndValues()
    {
        var rows = FleetChangeGenerator.Generate(new FleetGenerateOptions(From, From.AddHours(1), Nodes: 50, Seed: 3));
        using var store = new TempStore();
        foreach (var table in rows)
        {
            var path = Path.Combine(Dir, "nested", table.Table.Name + ".jsonl");
            FleetChangeGenerator.WriteJsonLines(table, path);
            Assert.Equal(table.Rows.Count, File.ReadLines(path).Count());
            store.Execute($".create table {table.Table.Name} ({table.Table.CslSchema})");
            Assert.Equal(table.Rows.Count, store.Store.IngestFile(table.Table.Name, path).Rows);
            Assert.Equal(table.Rows.Count, store.Count(table.Table.Name));
        }

        // Per system, the store holds what the generator says.
        var bySource = store.Rows("EntityModelChangeEvents | summarize n = count() by Source")
            .Concat(store.Rows("EntityModelScheduledEvents | summarize n = count() by Source"))
            .Concat(store.Rows("ServiceVersionSwitch | summarize n = count() | extend Source = 'ServiceVersionSwitch' | project Source, n"))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        Assert.Equal(FleetChangeGenerator.CountBySystem(rows), bySource);

        // Times survive exactly; dynamic values are queryable.
        var first = rows[0].Rows[0];
        Assert.Equal(first[0], store.Scalar("EntityModelChangeEvents | summarize min(Timestamp)"));
        var expected = JsonDocument.Parse((string)first[4]!).RootElement.GetProperty("Region").GetString();
        Assert.Equal(expected, store.Scalar(
            $"EntityModelChangeEvents | where Timestamp == {PipelineFile.Literal((DateTime)first[0]!)} and NodeId == '{first[2]}' | take 1 | project tostring(Properties.Region)"));
        Assert.Equal(0L, store.Scalar("EntityModelChangeEvents | where isempty(tostring(Properties.ServiceName)) | count"));
    }

    [Fact]
    public void Lines_HaveColumnNames_IsoMilliseconds_AndNestedDynamic()
    {
        var rows = FleetChangeGenerator.Generate(new FleetGenerateOptions(From, From.AddMinutes(30), Nodes: 5));
        var path = Path.Combine(Dir, "changes.jsonl");
        FleetChangeGenerator.WriteJsonLines(rows[0], path);
        var line = File.ReadLines(path).First();
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(["Timestamp", "Source", "NodeId", "ChangeType", "Properties"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), doc.RootElement.GetProperty("Timestamp").GetString());
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("Properties").ValueKind);
        Assert.DoesNotContain('\r', File.ReadAllText(path));
    }

    [Fact]
    public void WriteJsonLines_OtherTypes_AndBadRows()
    {
        var table = new TableSchema("T", [new("b", KqlType.Bool), new("n", KqlType.Long), new("r", KqlType.Real), new("s", KqlType.String),
            new("d", KqlType.TimeSpan), new("g", KqlType.Guid), new("j", KqlType.Dynamic)]);
        var path = Path.Combine(Dir, "t.jsonl");
        FleetChangeGenerator.WriteJsonLines(new SourceRows(table,
            [[true, 5L, 1.5, null, TimeSpan.FromMinutes(90), Guid.Empty, "[1,2]"], [null, null, null, "x", null, null, null]]), path);
        Assert.Equal(
            [
                """{"b":true,"n":5,"r":1.5,"s":"","d":"01:30:00.0000000","g":"00000000-0000-0000-0000-000000000000","j":[1,2]}""",
                """{"b":null,"n":null,"r":null,"s":"x","d":null,"g":null,"j":null}""",
            ],
            File.ReadAllLines(path));

        using var store = new TempStore();
        store.Execute($".create table T ({table.CslSchema})");
        Assert.Equal(2, store.Store.IngestFile("T", path).Rows);

        var e = Assert.Throws<ArgumentException>(() => FleetChangeGenerator.WriteJsonLines(new SourceRows(table, [[true]]), path));
        Assert.Contains("row 1 of T has 1 values for 7 columns", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => FleetChangeGenerator.WriteJsonLines(
            new SourceRows(table, [[true, 5L, 1.5, "", TimeSpan.Zero, Guid.Empty, "{not json"]]), path));
        Assert.Contains("row 1 of T, column j:dynamic: cannot write a String", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => FleetChangeGenerator.WriteJsonLines(
            new SourceRows(table, [["yes", 5L, 1.5, "", TimeSpan.Zero, Guid.Empty, "1"]]), path));
        Assert.Contains("column b:bool: cannot write a String", e.Message, StringComparison.Ordinal);
    }
}
