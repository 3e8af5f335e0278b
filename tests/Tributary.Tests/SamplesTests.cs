using Tributary.Store;

namespace Tributary.Tests;

/// <summary>The files in samples/ load and their query runs, so the README's tour keeps working.</summary>
public sealed class SamplesTests : TempDirectoryTest
{
    public SamplesTests()
        : base("samples")
    {
    }

    private static string Samples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tributary.slnx")))
            {
                return Path.Combine(dir.FullName, "samples");
            }
        }

        throw new InvalidOperationException("the repository root (Tributary.slnx) was not found above the test assembly");
    }

    [Fact]
    public void Samples_LoadAndQuery_AsTheReadmeShows()
    {
        using var store = TributaryStore.Open(Dir);
        store.Execute(".create table Events (Timestamp:datetime, Host:string, Level:string, Duration:timespan, Props:dynamic)");

        Assert.Equal(5, store.IngestFile("Events", Path.Combine(Samples(), "data", "events.csv"), tags: ["source:sample"]).Rows);
        Assert.Equal(2, store.IngestFile("Events", Path.Combine(Samples(), "data", "events.jsonl")).Rows);
        var result = store.Execute(File.ReadAllText(Path.Combine(Samples(), "queries", "events.kql")));

        Assert.Equal(["Host", "component", "errors", "worst", "codes"], result.Columns.Select(c => c.Name));
        Assert.Equal(3, result.Rows.Count);
        Assert.Contains(result.Rows, r => (string)r[0]! == "h2" && (TimeSpan)r[3]! == TimeSpan.FromMinutes(2));
    }
}
