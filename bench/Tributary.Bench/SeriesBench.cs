using System.Globalization;
using Tributary.Kql;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Bench;

/// <summary>
/// KQL time series at fleet scale: make-series over a generated Metrics table (one series per host, hourly), then
/// series_fill_linear and either series_fit_line + series_stats or series_decompose_anomalies, against the same
/// computation written as relational DuckDB SQL (window functions, GROUP BY, quantile_cont) on the same connection.
/// Both return one small row, so the timing is the computation, not reading results.
/// </summary>
internal static class SeriesBench
{
    private const double Target = 3.0;

    private const string CreateTable = ".create table Metrics (Host:string, T:datetime, V:real)";

    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private sealed record Question(string Name, string Kql, string Sql, IReadOnlyList<KqlColumn> Columns);

    public static List<Row> Run(Options options, string root)
    {
        var series = options.SeriesCount;
        var points = options.SeriesPoints;
        Console.WriteLine($"== series: {series:N0} hosts × {points} hourly points ({series * points:N0} slots, about 5% missing), {options.SeriesRuns} timed runs a side (load {Timing.Load()})");
        using var store = TributaryStore.Open(Path.Combine(root, "series"));
        store.Execute(CreateTable);
        var generate = Timing.Time(() => Generate(store, series, points));
        Console.WriteLine($"   generated in {Timing.F(generate, "0.0")} s (load {Timing.Load()})");

        if (options.Breakdown)
        {
            Breakdown(store, points, options.SeriesRuns);
        }

        var results = new List<Row>();
        foreach (var q in Questions(points))
        {
            if (options.ShowSql)
            {
                Console.WriteLine($"-- {q.Name}: generated SQL\n{store.Translate(q.Kql).Sql}\n");
            }

            // The same answer both ways, checked once (untimed): that run is also each side's warm-up, as one run takes seconds.
            Check(q, store.Execute(q.Kql), store.RunSql(q.Sql, q.Columns));
            var (kql, sql) = Timing.Pair("KQL", () => store.Execute(q.Kql), "SQL", () => store.RunSql(q.Sql, q.Columns), warmups: 0, options.SeriesRuns);
            var ratio = kql.Median / sql.Median;
            var minRatio = kql.Min / sql.Min;
            Console.WriteLine($"   {q.Name}: KQL median {Timing.Ms(kql.Median)} (min {Timing.Ms(kql.Min)}), SQL median {Timing.Ms(sql.Median)} (min {Timing.Ms(sql.Min)}), " +
                $"KQL/SQL {Timing.Ratio(ratio, minRatio)} {(ratio < Target ? "ok" : $"MISSED (target < {Timing.F(Target, "0.0")})")} (load {Timing.Load()})");
            results.Add(new Row("series", q.Name, $"{Timing.Ms(kql.Median)}, {Timing.Ms(kql.Min)}", $"relational SQL: {Timing.Ms(sql.Median)}, {Timing.Ms(sql.Min)}",
                Timing.Ratio(ratio, minRatio), $"KQL/SQL < {Timing.F(Target, "0.0")}", ratio < Target, Timing.Load()));
        }

        return results;
    }

    // The KQL pipeline's stages alone: make-series, then the fill, each read through a sum over the lists so none is optimized away.
    private static void Breakdown(TributaryStore store, int points, int runs)
    {
        var makeSeries = MakeSeries(points).Split('\n')[0];
        (string Name, string Kql)[] stages =
        [
            ("make-series alone", makeSeries + "\n| summarize s = sum(series_sum(v))"),
            ("make-series | fill_linear", MakeSeries(points) + "| summarize s = sum(series_sum(v))"),
        ];
        foreach (var (name, kql) in stages)
        {
            store.Execute(kql);
            var sample = Timing.Single(name, () => store.Execute(kql), 0, runs);
            Console.WriteLine($"   stage {name}: median {Timing.Ms(sample.Median)} (min {Timing.Ms(sample.Min)}) (load {Timing.Load()})");
        }
    }

    private static string MakeSeries(int points)
    {
        // Datetimes are stored as ticks (100 ns since 0001-01-01).
        var from = Start.Ticks;
        var to = Start.AddHours(points).Ticks;
        return $"Metrics | make-series v = avg(V) default = real(null) on T from datetime({from}) to datetime({to}) step 1h by Host\n| extend v = series_fill_linear(v)\n";
    }

    // Numbers agree to a relative 1e-6 (the two sum in different orders); counts exactly.
    private static void Check(Question q, QueryResult kql, QueryResult sql)
    {
        var a = kql.Rows.Single();
        var b = sql.Rows.Single();
        for (var i = 0; i < a.Length; i++)
        {
            var x = Convert.ToDouble(a[i], CultureInfo.InvariantCulture);
            var y = Convert.ToDouble(b[i], CultureInfo.InvariantCulture);
            if (Math.Abs(x - y) > 1e-6 * Math.Max(1, Math.Abs(y)))
            {
                throw new InvalidOperationException($"{q.Name}: the KQL and the SQL baseline disagree on {kql.Columns[i].Name}: {x} vs {y}");
            }
        }

        Console.WriteLine($"   {q.Name}: both give {string.Join(", ", a.Select((v, i) => $"{kql.Columns[i].Name} = {Convert.ToString(v, CultureInfo.InvariantCulture)}"))}");
    }

    private static Question[] Questions(int points)
    {
        // Datetimes are stored as ticks (100 ns since 0001-01-01).
        var from = Start.Ticks;
        var to = Start.AddHours(points).Ticks;
        var makeSeries = MakeSeries(points);
        var fitKql = makeSeries + "| extend (rsquare, slope) = series_fit_line(v), (low, low_idx, high) = series_stats(v)\n| summarize rising = countif(slope > 0.05), avg_rsquare = avg(rsquare), peak = max(high)";
        var anomaliesKql = makeSeries + "| extend flag = series_decompose_anomalies(v, 1.5, 24, 'avg')\n| extend n = series_sum(series_abs(flag))\n| summarize flagged_hosts = countif(n > 0), flagged_points = sum(n)";

        // The same computation, relational: bins, a grid of every host × hour, linear fill from the neighbours found
        // by window functions, then per-host aggregates.
        var filled = $"""
            WITH binned AS (
              SELECT Host, (T - {from}) // 36000000000 AS i, avg(V) AS v
              FROM Metrics WHERE T >= {from} AND T < {to} GROUP BY ALL),
            grid AS (SELECT h.Host, r.i FROM (SELECT DISTINCT Host FROM binned) h, range({points}) r(i)),
            slots AS (SELECT g.Host, g.i, b.v FROM grid g LEFT JOIN binned b ON b.Host = g.Host AND b.i = g.i),
            neighbours AS (
              SELECT Host, i, v,
                last_value(CASE WHEN v IS NOT NULL THEN i END IGNORE NULLS) OVER before AS i0, last_value(v IGNORE NULLS) OVER before AS v0,
                first_value(CASE WHEN v IS NOT NULL THEN i END IGNORE NULLS) OVER after AS i1, first_value(v IGNORE NULLS) OVER after AS v1
              FROM slots
              WINDOW before AS (PARTITION BY Host ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
                     after AS (PARTITION BY Host ORDER BY i ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)),
            filled AS (
              SELECT Host, i, coalesce(v, CASE WHEN v0 IS NOT NULL AND v1 IS NOT NULL THEN v0 + (v1 - v0) * (i - i0) / (i1 - i0) ELSE coalesce(v0, v1) END) AS v
              FROM neighbours)
            """;
        var fitSql = filled + """
            , hosts AS (SELECT Host, regr_slope(v, i + 1) AS slope, regr_r2(v, i + 1) AS rsquare, max(v) AS high FROM filled GROUP BY Host)
            SELECT count(*) FILTER (WHERE slope > 0.05) AS rising, avg(rsquare) AS avg_rsquare, max(high) AS peak FROM hosts
            """;
        // series_decompose_anomalies(v, 1.5, 24, 'avg'): the median per hour of day, the mean of what is left, then
        // Tukey's fences on the 10th and 90th percentiles of the residual (the mean absolute deviation when they meet).
        var anomaliesSql = filled + """
            , seasonal AS (SELECT Host, i % 24 AS phase, quantile_cont(v, 0.5) AS s FROM filled GROUP BY ALL),
            deseasoned AS (SELECT f.Host, f.i, f.v - s.s AS d FROM filled f JOIN seasonal s ON s.Host = f.Host AND s.phase = f.i % 24),
            residuals AS (SELECT Host, i, d - avg(d) OVER (PARTITION BY Host) AS r FROM deseasoned),
            fences AS (SELECT Host, quantile_cont(r, 0.1) AS lo, quantile_cont(r, 0.9) AS hi, quantile_cont(r, 0.5) AS mid FROM residuals GROUP BY Host),
            scales AS (
              SELECT f.Host, f.lo, f.hi, CASE WHEN f.hi - f.lo > 0 THEN f.hi - f.lo ELSE avg(abs(r.r - f.mid)) END AS scale
              FROM fences f JOIN residuals r ON r.Host = f.Host GROUP BY f.Host, f.lo, f.hi, f.mid),
            hosts AS (
              SELECT r.Host, count(*) FILTER (WHERE abs(CASE WHEN s.scale <= 0 THEN 0 WHEN r.r > s.hi THEN (r.r - s.hi) / s.scale WHEN r.r < s.lo THEN (r.r - s.lo) / s.scale ELSE 0 END) > 1.5) AS n
              FROM residuals r JOIN scales s ON s.Host = r.Host GROUP BY r.Host)
            SELECT count(*) FILTER (WHERE n > 0) AS flagged_hosts, CAST(sum(n) AS DOUBLE) AS flagged_points FROM hosts
            """;
        return
        [
            new("make-series | fill_linear | fit_line + stats", fitKql, fitSql, [new("rising", KqlType.Long), new("avg_rsquare", KqlType.Real), new("peak", KqlType.Real)]),
            new("make-series | fill_linear | decompose_anomalies", anomaliesKql, anomaliesSql, [new("flagged_hosts", KqlType.Long), new("flagged_points", KqlType.Real)]),
        ];
    }

    // A daily cycle, a per-host level and slope, noise, a rare spike, and about 5% of the hours missing.
    private static void Generate(TributaryStore store, long series, int points)
    {
        var extent = Guid.NewGuid();
        var now = DateTime.UtcNow;
        var ingested = now.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var sql = $"""
            INSERT INTO Metrics
            SELECT printf('host-%07d', s) AS Host, {Start.Ticks} + p * 36000000000 AS T,
              100 + 10 * sin(2 * pi() * (p % 24) / 24) + s % 7 + p * (s % 3) * 0.05 + (hash(s, p) % 1000) / 250.0
                + CASE WHEN hash(p, s) % 499 = 0 THEN 60 ELSE 0 END AS V,
              '{extent:D}'::UUID AS __extent_id, {now.Ticks} AS __ingestion_time
            FROM range({series}) a(s), range({points}) b(p)
            WHERE hash(s, p, 7) % 20 <> 0
            """;
        store.RunSql(sql, [new KqlColumn("Count", KqlType.Long)]);
        var count = store.RunSql("SELECT count(*) FROM Metrics", [new KqlColumn("Count", KqlType.Long)]).Rows.Single()[0];
        store.RunSql(
            $"INSERT INTO tributary_meta.extents VALUES ('{extent:D}'::UUID, 'Metrics', {count}, TIMESTAMP '{ingested}', []::VARCHAR[])",
            [new KqlColumn("Count", KqlType.Long)]);
        store.RunSql("CHECKPOINT", [new KqlColumn("Success", KqlType.Bool)]);
    }
}
