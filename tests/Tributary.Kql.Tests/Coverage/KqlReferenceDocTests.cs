namespace Tributary.Kql.Tests.Coverage;

/// <summary>docs/kql.md's lists of operators, aggregates and functions are generated from the registry and kept current.</summary>
public sealed class KqlReferenceDocTests
{
    [Fact]
    public void KqlMd_ListsWhatTheRegistrySupports()
    {
        var path = Repository.PathOf(KqlReferenceDoc.DocPath);
        var current = File.ReadAllText(path).ReplaceLineEndings("\n");
        var expected = KqlReferenceDoc.Splice(current, KqlReferenceDoc.Render(KustoNames.Load()));
        if (Environment.GetEnvironmentVariable("TRIBUTARY_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(current == expected, $"{KqlReferenceDoc.DocPath} is out of date with the function registry; regenerate it with: {KqlReferenceDoc.RegenerateCommand}");
    }

    [Fact]
    public void Splice_ReplacesOnlyTheTextBetweenTheMarkers()
    {
        var doc = $"# Title\nbefore\n{KqlReferenceDoc.Begin}\nold\n{KqlReferenceDoc.End}\nafter\n";
        var generated = $"{KqlReferenceDoc.Begin}\nnew\n{KqlReferenceDoc.End}\n";
        Assert.Equal($"# Title\nbefore\n{generated}after\n", KqlReferenceDoc.Splice(doc, generated));
    }

    [Fact]
    public void Splice_WithoutMarkers_SaysWhichAreNeeded()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KqlReferenceDoc.Splice("# no markers\n", "x"));
        Assert.Contains(KqlReferenceDoc.End, e.Message, StringComparison.Ordinal);
    }
}
