using Tributary.Kql.Binding;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Bench;

/// <summary>
/// File ingestion speed against DuckDB's own reader: the same CSV (or JSON lines) file appended by
/// <see cref="FileIngestor"/> and loaded by <c>CREATE TABLE x AS SELECT * FROM read_csv(file)</c>,
/// each into a fresh database file. Prints rows/s and the ratio (target: at least 0.5).
/// </summary>
internal static class IngestBenchmark
{
    private static readonly TableSchema Table = new("Events",
    [
        new KqlColumn("Timestamp", KqlType.DateTime),
        new KqlColumn("Id", KqlType.String),
        new KqlColumn("Value", KqlType.Real),
        new KqlColumn("Count", KqlType.Long),
        new KqlColumn("Duration", KqlType.TimeSpan),
    ]);

    public static int Run(int rows, int repeats)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tributary-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var csv = Path.Combine(dir, "events.csv");
            var jsonl = Path.Combine(dir, "events.jsonl");
            Generate(csv, jsonl, rows);
            Console.WriteLine($"{rows:N0} rows; CSV {new FileInfo(csv).Length / 1e6:F1} MB, JSON lines {new FileInfo(jsonl).Length / 1e6:F1} MB");

            Compare("CSV", rows, repeats, dir, csv, IngestFormat.Csv, $"read_csv({Sql.String(csv)})");
            Compare("JSON lines", rows, repeats, dir, jsonl, IngestFormat.JsonLines, $"read_json({Sql.String(jsonl)})");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Compare(string name, int rows, int repeats, string dir, string file, IngestFormat format, string reader)
    {
        (double Wall, double Cpu) baseline = (double.MaxValue, double.MaxValue);
        (double Wall, double Cpu) ours = (double.MaxValue, double.MaxValue);
        for (var r = 0; r < repeats; r++)
        {
            baseline = Min(baseline, Time(dir, c => Exec(c, $"CREATE TABLE x AS SELECT * FROM {reader}")));
            ours = Min(ours, Time(dir, c =>
            {
                var columns = string.Join(", ", Table.Columns.Select(col => $"{Sql.Ident(col.Name)} {KqlTypes.SqlType(col.Type)}"));
                Exec(c, $"CREATE TABLE \"Events\" ({columns}, __extent_id UUID, __ingestion_time TIMESTAMP)");
                using var tx = c.BeginTransaction();
                var n = FileIngestor.Ingest(c, Table, file, format, Guid.NewGuid(), DateTime.UtcNow, null, CancellationToken.None);
                tx.Commit();
                if (n != rows)
                {
                    throw new InvalidOperationException($"ingested {n} rows, expected {rows}");
                }
            }));
        }

        Console.WriteLine(
            $"{name,-10}  DuckDB {reader[..reader.IndexOf('(', StringComparison.Ordinal)]}: {rows / baseline.Wall,10:N0} rows/s ({baseline.Wall:F2} s, CPU {baseline.Cpu:F2} s)   " +
            $"FileIngestor: {rows / ours.Wall,10:N0} rows/s ({ours.Wall:F2} s, CPU {ours.Cpu:F2} s)   ratio {baseline.Wall / ours.Wall:F2} (CPU {baseline.Cpu / ours.Cpu:F2})");
    }

    private static (double, double) Min((double Wall, double Cpu) a, (double Wall, double Cpu) b) => (Math.Min(a.Wall, b.Wall), Math.Min(a.Cpu, b.Cpu));

    // Wall-clock and process CPU seconds (the machine may be shared; CPU time is the steadier number).
    private static (double Wall, double Cpu) Time(string dir, Action<DuckDBConnection> action)
    {
        var db = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".duckdb");
        using var c = new DuckDBConnection($"Data Source={db}");
        c.Open();
        Exec(c, "SET TimeZone='UTC'; SET autoinstall_known_extensions=false;");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action(c);
        Exec(c, "CHECKPOINT");
        return (sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static void Exec(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void Generate(string csv, string jsonl, int rows)
    {
        var random = new Random(42);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var c = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20);
        using var j = new StreamWriter(jsonl, false, new UTF8Encoding(false), 1 << 20);
        c.Write("Timestamp,Id,Value,Count,Duration\n");
        for (var i = 0; i < rows; i++)
        {
            var ts = start.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 365)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            var id = "id-" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
            var value = (random.NextDouble() * 1000).ToString("F4", CultureInfo.InvariantCulture);
            var count = random.NextInt64(0, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
            var duration = TimeSpan.FromTicks(random.NextInt64(0, TimeSpan.TicksPerHour * 20)).ToString("hh\\:mm\\:ss\\.fffffff", CultureInfo.InvariantCulture);
            c.Write($"{ts},{id},{value},{count},{duration}\n");
            j.Write($"{{\"Timestamp\":\"{ts}\",\"Id\":\"{id}\",\"Value\":{value},\"Count\":{count},\"Duration\":\"{duration}\"}}\n");
        }
    }
}
