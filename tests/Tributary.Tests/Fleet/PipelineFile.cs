using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Tributary.Tests.Fleet;

/// <summary>
/// A pipeline YAML file (samples/pipelines/*.yaml) read with YamlDotNet's representation model, just enough for the tests
/// to create its tables, functions and views in a store and to run its jobs by hand.
/// </summary>
internal sealed partial class PipelineFile
{
    private PipelineFile(List<PipelineTable> tables, List<PipelineFunction> functions, List<PipelineView> views, List<PipelineJob> jobs)
    {
        Tables = tables;
        Functions = functions;
        Views = views;
        Jobs = jobs;
    }

    public IReadOnlyList<PipelineTable> Tables { get; }

    public IReadOnlyList<PipelineFunction> Functions { get; }

    public IReadOnlyList<PipelineView> Views { get; }

    public IReadOnlyList<PipelineJob> Jobs { get; }

    public static string SamplePath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tributary.slnx")))
            {
                return Path.Combine(dir.FullName, "samples", "pipelines", name);
            }
        }

        throw new InvalidOperationException("the repository root (Tributary.slnx) was not found above the test assembly");
    }

    public static PipelineFile Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
        var tables = Section(root, "tables").Select(e => new PipelineTable(
            e.Key, ((YamlMappingNode)e.Value).Children.Select(c => (Text(c.Key), Text(c.Value))).ToList())).ToList();
        var functions = Section(root, "functions").Select(e =>
        {
            var f = (YamlMappingNode)e.Value;
            var parameters = f.Children.TryGetValue(new YamlScalarNode("params"), out var p)
                ? ((YamlMappingNode)p).Children.Select(c => (Text(c.Key), Text(c.Value))).ToList()
                : [];
            return new PipelineFunction(e.Key, parameters, Text(f.Children[new YamlScalarNode("body")]),
                Optional(f, "folder"), Optional(f, "docstring"));
        }).ToList();
        var views = Section(root, "views").Select(e =>
        {
            var v = (YamlMappingNode)e.Value;
            return new PipelineView(e.Key, Text(v.Children[new YamlScalarNode("source")]), Text(v.Children[new YamlScalarNode("query")]));
        }).ToList();
        var jobs = Section(root, "jobs").Select(e =>
        {
            var j = (YamlMappingNode)e.Value;
            var depends = j.Children.TryGetValue(new YamlScalarNode("dependsOn"), out var d)
                ? ((YamlSequenceNode)d).Children.Select(Text).ToList()
                : [];
            var fields = j.Children.ToDictionary(c => Text(c.Key), c => c.Value is YamlScalarNode s ? s.Value ?? "" : "", StringComparer.Ordinal);
            return new PipelineJob(e.Key, fields["query"], fields["target"], depends, fields);
        }).ToList();
        return new PipelineFile(tables, functions, views, jobs);
    }

    /// <summary>The jobs, each after every job it depends on (ties in file order).</summary>
    public List<PipelineJob> JobsInDependencyOrder()
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<PipelineJob>();
        while (order.Count < Jobs.Count)
        {
            var next = Jobs.FirstOrDefault(j => !done.Contains(j.Name) && j.DependsOn.All(done.Contains))
                ?? throw new InvalidOperationException("the jobs' dependencies form a cycle or name a missing job");
            order.Add(next);
            done.Add(next.Name);
        }

        return order;
    }

    public static string CreateTable(PipelineTable table) =>
        $".create table {table.Name} ({string.Join(", ", table.Columns.Select(c => $"{c.Name}:{c.Type}"))})";

    public static string CreateFunction(PipelineFunction f)
    {
        var with = new List<string>();
        if (f.Folder is { } folder)
        {
            with.Add($"folder={Quote(folder)}");
        }

        if (f.DocString is { } doc)
        {
            with.Add($"docstring={Quote(doc)}");
        }

        var properties = with.Count > 0 ? $"with ({string.Join(", ", with)}) " : "";
        var parameters = string.Join(", ", f.Parameters.Select(p => $"{p.Name}:{p.Type}"));
        return $".create-or-alter function {properties}{f.Name}({parameters}) {{\n{f.Body}}}";
    }

    public static string CreateView(PipelineView v) => $".create materialized-view {v.Name} on table {v.Source} {{ {v.Query} }}";

    /// <summary>The job's query with startTime and endTime bound to the window, as datetime literals.</summary>
    public static string Bind(string query, DateTime start, DateTime end)
    {
        var bound = StartTime().Replace(query, Literal(start));
        return EndTime().Replace(bound, Literal(end));
    }

    public static string Literal(DateTime t) => $"datetime({t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)})";

    private static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }

    private static IEnumerable<KeyValuePair<string, YamlNode>> Section(YamlMappingNode root, string name) =>
        root.Children.TryGetValue(new YamlScalarNode(name), out var node)
            ? ((YamlMappingNode)node).Children.Select(c => new KeyValuePair<string, YamlNode>(Text(c.Key), c.Value))
            : [];

    private static string? Optional(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? Text(value) : null;

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    [GeneratedRegex(@"\bstartTime\b")]
    private static partial Regex StartTime();

    [GeneratedRegex(@"\bendTime\b")]
    private static partial Regex EndTime();

    internal sealed record PipelineTable(string Name, List<(string Name, string Type)> Columns);

    internal sealed record PipelineFunction(string Name, List<(string Name, string Type)> Parameters, string Body, string? Folder, string? DocString);

    internal sealed record PipelineView(string Name, string Source, string Query);

    /// <summary>A job: its query, target, dependencies and every scalar field as written.</summary>
    internal sealed record PipelineJob(string Name, string Query, string Target, List<string> DependsOn, Dictionary<string, string> Fields);
}
