using System.Globalization;
using Tributary.Kql;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Bench;

/// <summary>
/// File ingestion: <see cref="TributaryStore.IngestFile"/> (Kusto value rules, all or nothing) against DuckDB's own
/// <c>CREATE TABLE … AS SELECT * FROM read_csv/read_json(file)</c> of the same file, in the same process and store.
/// </summary>
internal static class IngestBench
{
    private const string Table = "VMIngest";
    private const string DuckTable = "duck_ingest";

    private const string CreateTable =
        $".create table {Table} (VMId:string, HostId:string, OsImage:string, State:string, Region:string, PreciseTimeStamp:datetime, " +
        "RowCount:long, CpuLoad:real, Uptime:timespan)";

    private static readonly KqlColumn[] CountColumn = [new("Count", KqlType.Long)];

    public static List<Row> Run(Options options, string root)
    {
        var rows = options.FileRows;
        Console.WriteLine($"== ingestion: {rows:N0}-row files (load {Timing.Load()})");
        var results = new List<Row>();
        using var store = TributaryStore.Open(Path.Combine(root, "ingest"));
        var csv = Path.Combine(root, "vms.csv");
        var jsonl = Path.Combine(root, "vms.jsonl");
        var generate = Timing.Time(() => Generate(store, rows, csv, jsonl));
        Console.WriteLine($"   wrote {new FileInfo(csv).Length / 1e6:0.0} MB CSV and {new FileInfo(jsonl).Length / 1e6:0.0} MB JSON lines in {Timing.F(generate, "0.0")} s");

        var runs = Math.Max(3, options.Runs - 2);
        foreach (var (name, path, format, reader) in new[]
        {
            ("CSV", csv, IngestFormat.Csv, "read_csv"),
            ("JSON lines", jsonl, IngestFormat.JsonLines, "read_json"),
        })
        {
            void Reset(bool ours)
            {
                if (ours)
                {
                    store.Execute($".drop table {Table} ifexists");
                    store.Execute(CreateTable);
                }
                else
                {
                    store.RunSql($"DROP TABLE IF EXISTS {DuckTable}", CountColumn);
                }
            }

            long ingested = 0;
            var duckSql = $"CREATE TABLE {DuckTable} AS SELECT * FROM {reader}('{path.Replace("'", "''", StringComparison.Ordinal)}')";
            var (ours, duck) = Timing.Pair(
                "Tributary", () => ingested = store.IngestFile(Table, path, format).Rows,
                "DuckDB", () => store.RunSql(duckSql, CountColumn),
                options.Warmups, runs, Reset);
            if (ingested != rows)
            {
                throw new InvalidOperationException($"{name}: ingested {ingested} rows, expected {rows}");
            }

            var oursRate = rows / ours.Median;
            var duckRate = rows / duck.Median;
            var ratio = oursRate / duckRate;
            var minRatio = duck.Min / ours.Min;
            Console.WriteLine($"   {name}: Tributary {Rate(oursRate)} (median {Timing.Ms(ours.Median)}, min {Timing.Ms(ours.Min)}), " +
                $"DuckDB {reader} {Rate(duckRate)} (median {Timing.Ms(duck.Median)}, min {Timing.Ms(duck.Min)}), ratio {Timing.Ratio(ratio, minRatio)} " +
                $"{(ratio >= 0.5 ? "ok" : "MISSED (target >= 0.5)")} (load {Timing.Load()})");
            results.Add(new Row("ingest", $"{name}, {rows:N0} rows", $"{Rate(oursRate)} ({Timing.Ms(ours.Median)}, {Timing.Ms(ours.Min)})",
                $"CREATE TABLE AS {reader}: {Rate(duckRate)} ({Timing.Ms(duck.Median)}, {Timing.Ms(duck.Min)})", Timing.Ratio(ratio, minRatio),
                "ours/DuckDB ≥ 0.5", ratio >= 0.5, Timing.Load()));
            Reset(true);
            Reset(false);
        }

        if (options.Breakdown)
        {
            results.AddRange(Breakdown(store, csv, jsonl, options));
        }

        return results;
    }

    // Where Tributary's ingestion time goes: reading the file as text (what its plan reads), and converting each
    // typed column by Kusto's rules (the same SQL as the plan, KqlSqlConversions) from a temp table of the text.
    private static List<Row> Breakdown(TributaryStore store, string csv, string jsonl, Options options)
    {
        Console.WriteLine($"   breakdown of Tributary's ingestion (load {Timing.Load()})");
        var results = new List<Row>();
        var runs = Math.Max(3, options.Runs - 2);
        var names = new[] { "VMId", "HostId", "OsImage", "State", "Region", "PreciseTimeStamp", "RowCount", "CpuLoad", "Uptime" };
        var lengths = string.Join(" + ", names.Select(n => $"length({n})"));
        var pointers = string.Join(", ", names.Select(n => $"'/{n}'"));
        var stages = new List<(string Name, string Sql)>
        {
            ("CSV: read as text (read_csv, all VARCHAR)", $"SELECT max({lengths}) FROM read_csv('{csv}', all_varchar=true)"),
            ("JSON lines: read objects (read_ndjson_objects)", $"SELECT max(length(json)) FROM read_ndjson_objects('{jsonl}')"),
            ("JSON lines: read objects + json_extract_string of 9 fields", $"SELECT max(length(s[1]) + length(s[9])) FROM (SELECT json_extract_string(json, [{pointers}]) AS s FROM read_ndjson_objects('{jsonl}'))"),
        };
        store.RunSql($"CREATE OR REPLACE TEMP TABLE __bench_text AS SELECT * FROM read_csv('{csv}', all_varchar=true)", CountColumn);
        foreach (var (column, type) in new[] { ("PreciseTimeStamp", KqlType.DateTime), ("RowCount", KqlType.Long), ("CpuLoad", KqlType.Real), ("Uptime", KqlType.TimeSpan) })
        {
            var convert = KqlSqlConversions.Convert(type, "r");
            stages.Add(($"convert {column} ({KqlTypes.Name(type)})",
                $"SELECT count(v) FROM (SELECT {convert} AS v FROM (SELECT r, {KqlSqlConversions.Trim("r")} AS t FROM (SELECT {column} AS r FROM __bench_text)))"));
        }

        foreach (var (name, sql) in stages)
        {
            var sample = Timing.Single(name, () => store.RunSql(sql, CountColumn), 1, runs);
            Console.WriteLine($"     {name}: median {Timing.Ms(sample.Median)} (min {Timing.Ms(sample.Min)})");
            results.Add(new Row("ingest stage", name, $"{Timing.Ms(sample.Median)}, {Timing.Ms(sample.Min)}", "–", "–", "–", null, Timing.Load()));
        }

        store.RunSql("DROP TABLE __bench_text", CountColumn);
        return results;
    }

    private static string Rate(double rowsPerSecond) => (rowsPerSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M rows/s";

    // The VMSnapshot columns plus a long, a real and a timespan, written as Kusto text (ISO datetimes, [d.]hh:mm:ss[.fffffff]).
    private static void Generate(TributaryStore store, long rows, string csv, string jsonl)
    {
        var select = $"""
            SELECT
              printf('%08x-%04x-4%03x-a%03x-%012x', h >> 32, (h >> 16) & 65535, (h >> 4) & 4095, h & 4095, o) AS VMId,
              printf('host-%05d', o % 5000) AS HostId,
              ['Ubuntu-22.04', 'Ubuntu-24.04', 'Windows-2022', 'Windows-2019', 'RHEL-9'][1 + o % 5] AS OsImage,
              ['Running', 'Running', 'Running', 'Stopped', 'Deallocated', 'Starting', 'Failed'][1 + (hash(i) % 7)::BIGINT] AS State,
              ['westus', 'eastus', 'westeurope', 'northeurope', 'southeastasia', 'centralus', 'eastus2', 'japaneast'][1 + o % 8] AS Region,
              strftime(TIMESTAMP '2024-05-01 00:00:00' + to_microseconds(i * 3600 + (h % 1000000)::BIGINT), '%Y-%m-%dT%H:%M:%S.%fZ') AS PreciseTimeStamp,
              (h % 100000)::BIGINT AS RowCount,
              round((h % 10000) / 100.0, 2) AS CpuLoad,
              CASE WHEN i % 2 = 0
                THEN printf('%d.%02d:%02d:%02d.%07d', h % 30, (h >> 8) % 24, (h >> 16) % 60, (h >> 24) % 60, (h >> 32) % 10000000)
                ELSE printf('%02d:%02d:%02d', (h >> 8) % 24, (h >> 16) % 60, (h >> 24) % 60) END AS Uptime
            FROM (SELECT i, i % 100000 AS o, hash(i) AS h FROM range({rows}) t(i))
            """;
        store.RunSql($"COPY ({select}) TO '{csv}' (FORMAT CSV, HEADER)", CountColumn);
        store.RunSql($"COPY ({select}) TO '{jsonl}' (FORMAT JSON)", CountColumn);
    }
}
