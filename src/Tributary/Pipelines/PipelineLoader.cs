using System.Globalization;
using System.Text.RegularExpressions;
using Tributary.Jobs;
using Tributary.Kql;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Tributary.Pipelines;

/// <summary>
/// Reads a pipeline YAML file (tables, functions, views, jobs) into a <see cref="PipelineDefinition"/>.
/// Every error names the file, line and column.
/// </summary>
public static partial class PipelineLoader
{
    /// <summary>Files larger than this are refused before parsing.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    private static readonly string[] Sections = ["tables", "functions", "views", "jobs", "topics", "processors"];
    private static readonly string[] TopicKeys = ["partitions", "retention", "retentionBytes"];
    private static readonly string[] FunctionKeys = ["params", "body", "folder", "docstring"];
    private static readonly string[] ViewKeys = ["source", "query"];
    private static readonly string[] JobKeys = ["query", "target", "window", "delay", "start", "dependsOn", "maxParallelism", "timeout", "attempts", "retryBackoff", "enabled", "rowLimit", "batch"];

    /// <summary>Reads and parses a pipeline file.</summary>
    /// <exception cref="PipelineException">The file is missing, too large, not YAML, or declares something invalid.</exception>
    public static PipelineDefinition Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PipelineException(path, 0, 0, "file not found");
        }

        if (new FileInfo(path).Length > MaxFileBytes)
        {
            throw new PipelineException(path, 0, 0, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MB");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses pipeline YAML text; <paramref name="file"/> names it in errors.</summary>
    public static PipelineDefinition Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PipelineException(file, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {Regex.Replace(e.InnerException?.Message ?? e.Message, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", "")}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet fails without a position on some malformed text (a '{' or '[' left open across lines).
            var (line, column, problem) = LocateYamlFailure(text);
            throw new PipelineException(file, line, column, $"not valid YAML: {problem}");
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new PipelineException(file, 0, 0, "the file is empty; declare tables, functions, views or jobs");
        }

        if (yaml.Documents.Count > 1)
        {
            throw new PipelineException(file, (int)yaml.Documents[1].RootNode.Start.Line, 1, "one pipeline a file: the file holds more than one YAML document");
        }

        var reader = new Reader(file, text.Split('\n'));
        var root = reader.Mapping(yaml.Documents[0].RootNode, "the top level");
        reader.OnlyKeys(root, Sections, "the top level");
        var tables = new List<PipelineTable>();
        var functions = new List<PipelineFunction>();
        var views = new List<PipelineView>();
        var jobs = new List<PipelineJob>();
        var topics = new List<PipelineTopic>();
        var processors = new List<PipelineProcessor>();
        foreach (var (key, value) in root.Children)
        {
            var section = ((YamlScalarNode)key).Value;
            if (value is YamlScalarNode { Value: null or "" } || (value is YamlScalarNode s && s.Style == ScalarStyle.Plain && s.Value == "~"))
            {
                continue;
            }

            var entries = reader.Mapping(value, $"'{section}'");
            foreach (var (nameNode, body) in entries.Children)
            {
                var name = reader.Name(nameNode, section!);
                switch (section)
                {
                    case "tables":
                        tables.Add(reader.Table(name, nameNode, body));
                        break;
                    case "functions":
                        functions.Add(reader.Function(name, nameNode, body));
                        break;
                    case "views":
                        views.Add(reader.View(name, nameNode, body));
                        break;
                    case "topics":
                        topics.Add(reader.Topic(name, nameNode, body));
                        break;
                    case "processors":
                        processors.Add(reader.Processor(name, nameNode, body));
                        break;
                    default:
                        jobs.Add(reader.Job(name, nameNode, body));
                        break;
                }
            }
        }

        return new PipelineDefinition(file, tables, functions, views, jobs) { Topics = topics, Processors = processors };
    }

    /// <summary>Parses a duration: a number and a unit (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>10min</c>, <c>1h</c>, <c>1d</c>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var m = DurationPattern().Match(text?.Trim() ?? "");
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        var ticks = m.Groups[2].Value.ToLowerInvariant() switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" or "sec" => TimeSpan.TicksPerSecond,
            "m" or "min" => TimeSpan.TicksPerMinute,
            "h" or "hr" => TimeSpan.TicksPerHour,
            _ => TimeSpan.TicksPerDay,
        };
        var total = n * ticks;
        if (total > TimeSpan.MaxValue.Ticks / 2)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)total);
        return true;
    }

    /// <summary>Parses a UTC time in ISO-8601 (<c>2023-05-22T10:00:00Z</c>, <c>2023-05-22T10:00</c>, <c>2023-05-22</c>); without an offset it is UTC.</summary>
    public static bool TryParseTime(string text, out DateTime value)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto);
        value = ok ? dto.UtcDateTime : default;
        return ok;
    }

    /// <summary>Where parsing stops: the innermost '{' or '[' still open then, else the last place read.</summary>
    private static (int Line, int Column, string Problem) LocateYamlFailure(string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<(bool Flow, Mark Start)>();
        var last = Mark.Empty;
        try
        {
            // Bounded: every event reads text, so a parser stuck in a loop cannot hold the caller.
            for (var n = 0; n < (4 * text.Length) + 100 && parser.MoveNext(); n++)
            {
                var current = parser.Current!;
                last = current.End;
                switch (current)
                {
                    case MappingStart m:
                        open.Push((m.Style == MappingStyle.Flow, m.Start));
                        break;
                    case SequenceStart q:
                        open.Push((q.Style == SequenceStyle.Flow, q.Start));
                        break;
                    case MappingEnd or SequenceEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // Expected: this is the failure being located.
        }

        foreach (var (flow, start) in open)
        {
            if (flow && start.Index < text.Length)
            {
                return ((int)start.Line, (int)start.Column, $"the '{text[(int)start.Index]}' here is not closed");
            }
        }

        return ((int)last.Line, (int)last.Column, "the text after this point cannot be read");
    }

    /// <summary>The allowed name nearest to <paramref name="name"/> (case aside, or a typo or two away), or null.</summary>
    private static string? Nearest(string name, string[] allowed)
    {
        var exact = allowed.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var limit = Math.Max(1, name.Length / 3);
        return allowed.Select(a => (Name: a, Distance: EditDistance(name.ToUpperInvariant(), a.ToUpperInvariant())))
            .Where(c => c.Distance <= limit).OrderBy(c => c.Distance).Select(c => c.Name).FirstOrDefault();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|hr|d)$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    private sealed class Reader(string file, string[] lines)
    {
        public PipelineException Error(YamlNode node, string problem) => new(file, (int)node.Start.Line, (int)node.Start.Column, problem);

        public YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (name: value …), not {Describe(node)}");

        public void OnlyKeys(YamlMappingNode map, string[] allowed, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name, StringComparer.Ordinal))
                {
                    var near = Nearest(name, allowed);
                    throw Error(key, $"unknown key '{name}' in {where}{(near is null ? "" : $"; did you mean '{near}'?")} (expected: {string.Join(", ", allowed)})");
                }
            }
        }

        public string Name(YamlNode node, string section)
        {
            var name = (node as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(name) || name.Length > 1024 || name.Any(char.IsControl))
            {
                throw Error(node, $"a name in '{section}' must be non-empty text without control characters");
            }

            return name;
        }

        private string Scalar(YamlMappingNode map, string key, string where, bool required = true)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return required ? throw Error(map, $"{where} needs '{key}'") : "";
            }

            return node is YamlScalarNode s ? s.Value ?? "" : throw Error(node, $"'{key}' of {where} must be a single value, not {Describe(node)}");
        }

        private YamlNode? Node(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        public PipelineTable Table(string name, YamlNode at, YamlNode body)
        {
            var map = Mapping(body, $"table '{name}'");
            if (map.Children.Count == 0)
            {
                throw Error(body, $"table '{name}' needs at least one column (Column: type)");
            }

            var columns = new List<KqlColumn>();
            foreach (var (key, value) in map.Children)
            {
                var column = Name(key, $"table '{name}'");
                var typeName = (value as YamlScalarNode)?.Value ?? throw Error(value, $"the type of column '{column}' must be a type name");
                if (!KqlTypes.TryParse(typeName, out var type))
                {
                    throw Error(value, $"unknown type '{typeName}' for column '{column}' of table '{name}' (types: string, int, long, real, decimal, bool, datetime, timespan, guid, dynamic)");
                }

                if (columns.Any(c => c.Name == column))
                {
                    throw Error(key, $"column '{column}' appears twice in table '{name}'");
                }

                columns.Add(new KqlColumn(column, type));
            }

            return new PipelineTable(name, columns, Span(at));
        }

        public PipelineFunction Function(string name, YamlNode at, YamlNode body)
        {
            var map = Mapping(body, $"function '{name}'");
            OnlyKeys(map, FunctionKeys, $"function '{name}'");
            var parameters = new List<FunctionParameter>();
            if (Node(map, "params") is { } p && p is not YamlScalarNode { Value: null or "" })
            {
                foreach (var (key, value) in Mapping(p, $"'params' of function '{name}'").Children)
                {
                    var param = Name(key, $"function '{name}'");
                    var typeName = (value as YamlScalarNode)?.Value ?? "";
                    if (!KqlTypes.TryParse(typeName, out var type))
                    {
                        throw Error(value, $"unknown type '{typeName}' for parameter '{param}' of function '{name}'");
                    }

                    parameters.Add(new FunctionParameter(param, type));
                }
            }

            var bodyNode = Node(map, "body") ?? throw Error(map, $"function '{name}' needs 'body' (its KQL)");
            var text = Scalar(map, "body", $"function '{name}'");
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Error(bodyNode, $"the body of function '{name}' is empty");
            }

            var folder = Scalar(map, "folder", $"function '{name}'", required: false);
            var doc = Scalar(map, "docstring", $"function '{name}'", required: false);
            return new PipelineFunction(name, parameters, text, folder.Length == 0 ? null : folder, doc.Length == 0 ? null : doc, Span(at), TextSpan(bodyNode));
        }

        public PipelineView View(string name, YamlNode at, YamlNode body)
        {
            var map = Mapping(body, $"view '{name}'");
            OnlyKeys(map, ViewKeys, $"view '{name}'");
            var query = Scalar(map, "query", $"view '{name}'");
            return new PipelineView(name, Scalar(map, "source", $"view '{name}'"), query, Span(at), TextSpan(Node(map, "query")!));
        }

        public PipelineJob Job(string name, YamlNode at, YamlNode body)
        {
            var map = Mapping(body, $"job '{name}'");
            OnlyKeys(map, JobKeys, $"job '{name}'");
            var where = $"job '{name}'";
            TimeSpan Duration(string key, TimeSpan? fallback)
            {
                var node = Node(map, key);
                if (node is null)
                {
                    return fallback ?? throw Error(map, $"{where} needs '{key}' (a duration such as 10m, 1h, 1d)");
                }

                var text = Scalar(map, key, where);
                return TryParseDuration(text, out var value) ? value : throw Error(node, $"'{key}' of {where} is '{text}', not a duration (examples: 30s, 10m, 1h, 1d)");
            }

            int Int(string key, int fallback)
            {
                var node = Node(map, key);
                if (node is null)
                {
                    return fallback;
                }

                var text = Scalar(map, key, where);
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Error(node, $"'{key}' of {where} is '{text}', not a whole number");
            }

            var startNode = Node(map, "start") ?? throw Error(map, $"{where} needs 'start' (the UTC start of its first window, e.g. 2023-05-22T00:00:00Z)");
            var startText = Scalar(map, "start", where);
            if (!TryParseTime(startText, out var start))
            {
                throw Error(startNode, $"'start' of {where} is '{startText}', not a time (use ISO-8601 UTC, e.g. 2023-05-22T00:00:00Z)");
            }

            var dependsOn = new List<string>();
            if (Node(map, "dependsOn") is { } deps)
            {
                dependsOn = deps switch
                {
                    YamlSequenceNode seq => seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw Error(c, $"'dependsOn' of {where} lists job names")).ToList(),
                    YamlScalarNode { Value: { Length: > 0 } one } => [one],
                    YamlScalarNode => [],
                    _ => throw Error(deps, $"'dependsOn' of {where} must be a list of job names"),
                };
            }

            long? rowLimit = null;
            if (Node(map, "rowLimit") is { } rl)
            {
                var text = Scalar(map, "rowLimit", where);
                rowLimit = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Error(rl, $"'rowLimit' of {where} is '{text}', not a whole number");
            }

            var enabled = true;
            if (Node(map, "enabled") is { } en)
            {
                var text = Scalar(map, "enabled", where);
                enabled = bool.TryParse(text, out var v) ? v : throw Error(en, $"'enabled' of {where} is '{text}', not true or false");
            }

            var definition = new JobDefinition(name, Scalar(map, "query", where), Scalar(map, "target", where), Duration("window", null), Duration("delay", TimeSpan.Zero),
                start, dependsOn, Int("maxParallelism", JobDefinition.DefaultMaxParallelism), Node(map, "timeout") is null ? null : Duration("timeout", null),
                Int("attempts", JobDefinition.DefaultAttempts), Node(map, "retryBackoff") is null ? null : Duration("retryBackoff", null), enabled, rowLimit, Int("batch", JobDefinition.DefaultBatch));
            try
            {
                definition.Validate();
            }
            catch (ArgumentException e)
            {
                throw Error(body, e.Message);
            }

            return new PipelineJob(definition, Span(at), TextSpan(Node(map, "query")!));
        }

        public PipelineTopic Topic(string name, YamlNode at, YamlNode body)
        {
            var where = $"topic '{name}'";
            var map = body is YamlScalarNode { Value: null or "" } ? new YamlMappingNode() : Mapping(body, where);
            OnlyKeys(map, TopicKeys, where);
            try
            {
                Streams.FasterEventLog.ValidateName(name, "topic");
            }
            catch (Streams.StreamException e)
            {
                throw Error(at, e.Message);
            }

            var partitions = 1;
            if (Node(map, "partitions") is { } pn)
            {
                var text = Scalar(map, "partitions", where);
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out partitions) || partitions < 1 || partitions > Streams.TopicSettings.MaxPartitions)
                {
                    throw Error(pn, $"'partitions' of {where} is '{text}', not a whole number from 1 to {Streams.TopicSettings.MaxPartitions}");
                }
            }

            TimeSpan? retention = Streams.TopicSettings.DefaultRetentionAge;
            if (Node(map, "retention") is { } rn)
            {
                var text = Scalar(map, "retention", where);
                if (!Operations.StreamUnits.TryParseRetention(text, out retention))
                {
                    throw Error(rn, $"'retention' of {where} is '{text}', not a duration (examples: 12h, 14d) or 'forever'");
                }
            }

            long? bytes = null;
            if (Node(map, "retentionBytes") is { } bn)
            {
                var text = Scalar(map, "retentionBytes", where);
                bytes = Operations.StreamUnits.TryParseSize(text, out var b) && b > 0 ? b : throw Error(bn, $"'retentionBytes' of {where} is '{text}', not a size (examples: 500MB, 10GB)");
            }

            return new PipelineTopic(name, new Streams.TopicSettings(partitions, retention, bytes), Span(at));
        }

        public PipelineProcessor Processor(string name, YamlNode at, YamlNode body)
        {
            var where = $"processor '{name}'";
            var map = Mapping(body, where);
            try
            {
                Streams.FasterEventLog.ValidateName(name, "processor");
            }
            catch (Streams.StreamException e)
            {
                throw Error(at, e.Message);
            }

            var kindName = Scalar(map, "kind", where);
            var kind = Streams.Processors.ProcessorKinds.Find(kindName)
                ?? throw Error(Node(map, "kind")!, $"'{kindName}' is not a kind of processor (kinds: {string.Join(", ", Streams.Processors.ProcessorKinds.All.Select(k => k.Name))})");
            var settingNames = kind.Settings.Select(s => s.TrimEnd('.', '*')).ToArray();
            OnlyKeys(map, ["kind", "input", "outputs", .. settingNames], where);
            var input = Scalar(map, "input", where);
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Node(map, "outputs") is { } on && on is not YamlScalarNode { Value: null or "" })
            {
                var outputMap = Mapping(on, $"'outputs' of {where}");
                if (!kind.AnyOutputRole)
                {
                    OnlyKeys(outputMap, [.. kind.RequiredOutputs, .. kind.OptionalOutputs], $"'outputs' of {where}");
                }

                foreach (var (roleNode, topicNode) in outputMap.Children)
                {
                    outputs[Name(roleNode, $"outputs of {where}")] = (topicNode as YamlScalarNode)?.Value is { Length: > 0 } topic
                        ? topic
                        : throw Error(topicNode, $"output '{((YamlScalarNode)roleNode).Value}' of {where} must name a topic");
                }
            }

            var missing = kind.RequiredOutputs.FirstOrDefault(r => !outputs.ContainsKey(r));
            if (missing is not null)
            {
                throw Error(map, $"{where} needs output '{missing}' (outputs: {{{missing}: TOPIC}})");
            }

            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var setting in settingNames)
            {
                if (Node(map, setting) is not { } node)
                {
                    continue;
                }

                if (kind.IsMappingSetting(setting))
                {
                    Flatten(node, setting, $"'{setting}' of {where}", settings, depth: 0);
                }
                else if (setting == "schemas")
                {
                    // A directory, relative to the pipeline file.
                    var text = Scalar(map, setting, where);
                    settings[setting] = text.Length == 0 ? text : Path.GetFullPath(text, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
                }
                else
                {
                    settings[setting] = Scalar(map, setting, where);
                }
            }

            var definition = new Streams.Processors.ProcessorDefinition(name, kindName, input, outputs, settings);
            try
            {
                kind.Check?.Invoke(definition);
            }
            catch (ArgumentException e)
            {
                throw Error(body, $"{where}: {e.Message}");
            }

            return new PipelineProcessor(definition, Span(at));
        }

        /// <summary>A mapping setting's entries as <c>setting.key</c> (and <c>setting.key.sub</c> one level further down).</summary>
        private void Flatten(YamlNode node, string prefix, string where, Dictionary<string, string> into, int depth)
        {
            foreach (var (k, v) in Mapping(node, where).Children)
            {
                var key = $"{prefix}.{Name(k, where)}";
                if (v is YamlMappingNode && depth == 0)
                {
                    Flatten(v, key, $"'{key}'", into, depth + 1);
                }
                else
                {
                    into[key] = (v as YamlScalarNode)?.Value ?? throw Error(v, $"each entry of {where} takes a single value");
                }
            }
        }

        private static SourceSpan Span(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

        /// <summary>Where a KQL text's own line 1, column 1 lies in the file.</summary>
        private SourceSpan TextSpan(YamlNode node)
        {
            var line = (int)node.Start.Line;
            var column = (int)node.Start.Column;
            if (node is YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded })
            {
                // A block scalar's text starts on the next non-empty line, at that line's indentation.
                var first = line;
                while (first < lines.Length && lines[first].Trim().Length == 0)
                {
                    first++;
                }

                var indent = first < lines.Length ? lines[first].Length - lines[first].TrimStart(' ').Length : 0;
                return new SourceSpan(line, column, first, indent);
            }

            var quoted = node is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted };
            return new SourceSpan(line, column, line - 1, column - 1 + (quoted ? 1 : 0));
        }

        private static string Describe(YamlNode node) => node switch
        {
            YamlSequenceNode => "a list",
            YamlMappingNode => "a mapping",
            YamlScalarNode s => $"'{s.Value}'",
            _ => "something else",
        };
    }
}
