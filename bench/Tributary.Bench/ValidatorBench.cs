using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using Tributary.Streams.Validation;

namespace Tributary.Bench;

/// <summary>
/// The compiled JSON Schema validator against NJsonSchema on the real Sunbird events and schemas of ../shared:
/// every events/*.jsonl line whose eid has a pipeline-preprocessor schema, validated over and over. Also
/// against JsonDocument.Parse alone, since our parse+validate includes that parse.
/// </summary>
internal static class ValidatorBench
{
    private const double TargetRate = 200_000;

    public static List<Row> Run(Options options, string root)
    {
        var sunbird = FindSunbird();
        if (sunbird is null)
        {
            Console.WriteLine("== validator: ../shared/data/sunbird (schemas and events) is not here; skipped");
            return [];
        }

        var schemaDirectory = Path.Combine(sunbird, "schemas", "pipeline-preprocessor", "telemetry", "3.0");
        var schemas = JsonSchemaSet.Load(schemaDirectory);
        var validator = EventSchemaValidator.ForPipelinePreprocessor(schemas);

        // The events: every line with an eid whose schema exists (the preprocessor's mapping), as UTF-8.
        var events = new List<(string Eid, string Json, byte[] Utf8)>();
        foreach (var path in Directory.GetFiles(Path.Combine(sunbird, "events"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("eid", out var eid) && eid.ValueKind == JsonValueKind.String
                    && schemas.TryGet(eid.GetString()!.ToLowerInvariant() + ".json", out _))
                {
                    events.Add((eid.GetString()!, line, Encoding.UTF8.GetBytes(line)));
                }
            }
        }

        // NJsonSchema cannot resolve resource:/ references: a copy of the schemas with absolute paths instead.
        var copy = Path.Combine(root, "njsonschema");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(schemaDirectory, "*.json"))
        {
            var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(file), "\"resource:/[^\"]*/([^/\"]+\\.json)\"", m => "\"" + Path.Combine(copy, m.Groups[1].Value) + "\"");
            File.WriteAllText(Path.Combine(copy, Path.GetFileName(file)), text);
        }

        var njsByName = events.Select(e => e.Eid.ToLowerInvariant() + ".json").Distinct()
            .ToDictionary(n => n, n => JsonSchema.FromFileAsync(Path.Combine(copy, n)).GetAwaiter().GetResult());
        var njs = events.Select(e => njsByName[e.Eid.ToLowerInvariant() + ".json"]).ToArray();

        // One validator reused for every call: NJsonSchema's fastest use (JsonSchema.Validate builds a new one each time).
        var njsValidator = new NJsonSchema.Validation.JsonSchemaValidator();
        var utf8 = events.Select(e => e.Utf8).ToArray();
        var texts = events.Select(e => e.Json).ToArray();
        var parsed = utf8.Select(b => JsonDocument.Parse(b)).ToArray();
        var tokens = texts.Select(JToken.Parse).ToArray();
        var bytes = utf8.Sum(b => (long)b.Length);

        // Both must agree before their speed means anything.
        var oursInvalid = utf8.Count(b => !validator.Validate(b).IsValid);
        var theirsInvalid = Enumerable.Range(0, texts.Length).Count(i => njsValidator.Validate(texts[i], njs[i], SchemaType.JsonSchema).Count > 0);
        if (oursInvalid != theirsInvalid)
        {
            throw new InvalidOperationException($"verdicts differ: ours {oursInvalid} invalid, NJsonSchema {theirsInvalid}");
        }

        var loops = options.Quick ? 300 : 3000;
        var njsLoops = options.Quick ? 15 : 150;
        var n = events.Count;
        Console.WriteLine($"== validator: {n} Sunbird events ({oursInvalid} invalid, {bytes / n} bytes on average), {schemas.Names.Count} pipeline-preprocessor schemas; ours x{loops:N0}, NJsonSchema x{njsLoops:N0} (load {Timing.Load()})");

        var sink = 0;
        var (parseValidate, njsParseValidate) = Timing.Pair(
            "ours parse+validate",
            () =>
            {
                for (var l = 0; l < loops; l++)
                {
                    foreach (var b in utf8)
                    {
                        sink += validator.Validate(b).IsValid ? 1 : 0;
                    }
                }
            },
            "NJsonSchema parse+validate",
            () =>
            {
                for (var l = 0; l < njsLoops; l++)
                {
                    for (var i = 0; i < texts.Length; i++)
                    {
                        sink += njsValidator.Validate(texts[i], njs[i], SchemaType.JsonSchema).Count;
                    }
                }
            },
            options.Warmups,
            options.Runs);

        var (validateOnly, njsValidateOnly) = Timing.Pair(
            "ours validate only",
            () =>
            {
                for (var l = 0; l < loops; l++)
                {
                    foreach (var d in parsed)
                    {
                        sink += validator.Validate(d.RootElement).IsValid ? 1 : 0;
                    }
                }
            },
            "NJsonSchema validate only",
            () =>
            {
                for (var l = 0; l < njsLoops; l++)
                {
                    for (var i = 0; i < tokens.Length; i++)
                    {
                        sink += njsValidator.Validate(tokens[i], njs[i], SchemaType.JsonSchema).Count;
                    }
                }
            },
            options.Warmups,
            options.Runs);

        var (parseValidate2, parseOnly) = Timing.Pair(
            "ours parse+validate",
            () =>
            {
                for (var l = 0; l < loops; l++)
                {
                    foreach (var b in utf8)
                    {
                        sink += validator.Validate(b).IsValid ? 1 : 0;
                    }
                }
            },
            "JsonDocument.Parse",
            () =>
            {
                for (var l = 0; l < loops; l++)
                {
                    foreach (var b in utf8)
                    {
                        using var d = JsonDocument.Parse(b);
                        sink += (int)d.RootElement.ValueKind;
                    }
                }
            },
            options.Warmups,
            options.Runs);

        if (options.Breakdown)
        {
            // The floor of any validator over a parsed document: visit every value once, reading each property name.
            var walk = Timing.Single(
                "walk",
                () =>
                {
                    for (var l = 0; l < loops; l++)
                    {
                        foreach (var d in parsed)
                        {
                            sink += Walk(d.RootElement);
                        }
                    }
                },
                options.Warmups,
                options.Runs);
            Console.WriteLine($"   breakdown: visiting every value of the parsed documents once {Text(walk, loops)} (validate only: {Text(validateOnly, loops)})");
        }

        // Bytes allocated per validated event (valid ones allocate nothing; invalid ones their message and pointer).
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var d in parsed)
        {
            sink += validator.Validate(d.RootElement).IsValid ? 1 : 0;
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)n;
        foreach (var d in parsed)
        {
            d.Dispose();
        }

        double Rate(Sample s, int times) => (double)n * times / s.Median;
        string Text(Sample s, int times) => $"{Rate(s, times) / 1000:N0}k events/s ({Timing.Us(s.Median / n / times)}/event; {Timing.Ms(s.Median)}, {Timing.Ms(s.Min)})";
        string Ratio(Sample ours, int oursTimes, Sample theirs, int theirsTimes) =>
            Timing.Ratio(Rate(ours, oursTimes) / Rate(theirs, theirsTimes), (n * (double)oursTimes / ours.Min) / (n * (double)theirsTimes / theirs.Min));

        var met = Rate(parseValidate, loops) >= TargetRate;
        Console.WriteLine($"   parse+validate: ours {Text(parseValidate, loops)}; NJsonSchema {Text(njsParseValidate, njsLoops)}; ours/NJsonSchema {Ratio(parseValidate, loops, njsParseValidate, njsLoops)} {(met ? "ok" : "MISSED (target >= 200k events/s)")}");
        Console.WriteLine($"   validate only (pre-parsed): ours {Text(validateOnly, loops)}; NJsonSchema (pre-parsed JToken) {Text(njsValidateOnly, njsLoops)}; ours/NJsonSchema {Ratio(validateOnly, loops, njsValidateOnly, njsLoops)}; ours allocates {allocated:0} B/event on average");
        Console.WriteLine($"   parse+validate {Text(parseValidate2, loops)} against JsonDocument.Parse alone {Text(parseOnly, loops)}: parse+validate/parse speed {Ratio(parseValidate2, loops, parseOnly, loops)} (load {Timing.Load()}, checksum {sink})");

        return
        [
            new Row("validator", $"parse+validate, {n} Sunbird events", Text(parseValidate, loops), $"NJsonSchema parse+validate: {Text(njsParseValidate, njsLoops)}", Ratio(parseValidate, loops, njsParseValidate, njsLoops), "≥ 200k events/s", met, Timing.Load()),
            new Row("validator", "validate only (pre-parsed)", Text(validateOnly, loops), $"NJsonSchema validate only: {Text(njsValidateOnly, njsLoops)}", Ratio(validateOnly, loops, njsValidateOnly, njsLoops), "–", null, Timing.Load()),
            new Row("validator", "parse+validate against parse alone", Text(parseValidate2, loops), $"JsonDocument.Parse: {Text(parseOnly, loops)}", Ratio(parseValidate2, loops, parseOnly, loops), "–", null, Timing.Load()),
        ];
    }

    private static int Walk(JsonElement value)
    {
        var n = 1;
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                {
                    n += System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(p).Length + Walk(p.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    n += Walk(item);
                }

                break;
        }

        return n;
    }

    /// <summary>../shared/data/sunbird above the benchmark's binaries or the current directory, or null.</summary>
    private static string? FindSunbird()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "sunbird");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
