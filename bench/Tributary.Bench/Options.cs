using System.Globalization;

namespace Tributary.Bench;

/// <summary>One line of the summary table; <paramref name="Ratio"/> is the text shown (median ratio, and the ratio of the minimums).</summary>
internal sealed record Row(string Bench, string Case, string Ours, string Baseline, string Ratio, string Target, bool? Met, string Load);

/// <summary>Command-line options.</summary>
internal sealed record Options(string Mode, long SnapshotRows, long FileRows, int Warmups, int Runs, int TranslateIterations, bool Variants, bool ShowSql, bool Breakdown, bool Help)
{
    /// <summary>The modes, in the order "all" runs them ("all" leaves out the slower jobs benchmarks: jobs, scheduler, freshness, cli; "jobs-all" runs those four).</summary>
    public static readonly string[] Modes = ["all", "latest", "ingest", "translate", "jobs", "scheduler", "freshness", "cli", "jobs-all", "log", "validator", "dedup", "streams", "streams-all", "series"];

    /// <summary>Nodes of the generated fleet for the jobs throughput benchmark (seed 000 volume: about 19 source rows a node and hour).</summary>
    public int FleetNodes { get; init; } = 2600;

    /// <summary>Hours of fleet data (10-minute windows: 6 a job and hour, 15 jobs).</summary>
    public int FleetHours { get; init; } = 6;

    /// <summary>When set, every job of the fleet pipeline gets this batch (windows a query) instead of what the file says.</summary>
    public int? FleetBatch { get; init; }

    /// <summary>Windows of the trivial job in the scheduler-overhead benchmark.</summary>
    public int SchedulerWindows { get; init; } = 1200;

    /// <summary>1-minute windows measured in the freshness benchmark.</summary>
    public int FreshnessWindows { get; init; } = 20;

    /// <summary>Freshness on the system clock, waiting out every minute (default: a clock that skips the idle part of each minute).</summary>
    public bool RealClock { get; init; }

    /// <summary>Runs of each CLI command, each way (offline, through the server).</summary>
    public int CliRuns { get; init; } = 12;

    /// <summary>The built CLI (Tributary.Cli.dll); found under the repository when not given.</summary>
    public string? CliPath { get; init; }

    /// <summary>Sunbird batches (up to 20 events each) posted in the streams benchmark.</summary>
    public int TelemetryBatches { get; init; } = 2000;

    /// <summary>Concurrent HTTP clients posting them.</summary>
    public int Clients { get; init; } = 8;

    /// <summary>Hosts (one series each) of the KQL series benchmark.</summary>
    public long SeriesCount { get; init; } = 100_000;

    /// <summary>Hourly points of each series.</summary>
    public int SeriesPoints { get; init; } = 48;

    /// <summary>Timed runs of each side in the series benchmark (each is seconds long).</summary>
    public int SeriesRuns { get; init; } = 3;

    /// <summary>Small sizes everywhere: a smoke run of every benchmark in a few minutes.</summary>
    public bool Quick { get; init; }

    public const string Usage =
        "usage: Tributary.Bench [all|latest|ingest|translate|jobs|scheduler|freshness|cli|jobs-all|log|validator|dedup|streams|streams-all|series] [--rows N] [--file-rows N] [--warmup N] [--runs N] [--iterations N]\n" +
        "                       [--variants] [--show-sql] [--breakdown] [--nodes N] [--hours N] [--batch N] [--windows N] [--freshness-windows N] [--real-clock] [--cli-runs N] [--cli PATH]\n" +
        "                       [--telemetry-batches N] [--clients N] [--series N] [--points N] [--quick]\n" +
        "  all             latest, ingest and translate; jobs-all: jobs, scheduler, freshness and cli; streams-all: log, validator, dedup and streams\n" +
        "  validator       JSON Schema validation of the Sunbird events of ../shared against NJsonSchema and JsonDocument.Parse\n" +
        "  streams         Sunbird telemetry end to end (HTTP → extractor → validator → dedup → table) against JsonDocument.Parse of the same batches\n" +
        "  series          make-series + series_fill_linear + series_fit_line/series_stats or series_decompose_anomalies against relational DuckDB SQL\n" +
        "  --rows N        rows of the latest-state snapshot table (default 10,000,000; objects = rows / 100);\n" +
        "                  also sets --file-rows to N / 10 unless given\n" +
        "  --file-rows N   rows of the CSV and JSON-lines files to ingest (default 1,000,000)\n" +
        "  --warmup N      untimed runs before timing (default 1)\n" +
        "  --runs N        timed runs of each side (default 5 for queries, ingestion uses max(3, N - 2))\n" +
        "  --iterations N  timed translations of each question (default 2000)\n" +
        "  --variants      time every hand-written SQL candidate and use the fastest as the baseline\n" +
        "  --show-sql      print the SQL the translator generates for the latest-state queries\n" +
        "  --breakdown     also time the stages of Tributary's ingestion (reading the file, converting each typed column) and of the series pipeline\n" +
        "  --nodes N       jobs: nodes of the generated fleet (default 2,600: about 300,000 source rows in 6 hours)\n" +
        "  --hours N       jobs: hours of fleet data, 10-minute windows (default 6)\n" +
        "  --batch N       jobs: set every job's batch (windows a query when behind; default: as the file says)\n" +
        "  --windows N     scheduler: windows of the trivial job (default 1,200)\n" +
        "  --freshness-windows N  freshness: 1-minute windows measured (default 20)\n" +
        "  --real-clock    freshness: run on the system clock and wait out every minute (default: skip the idle part of each minute)\n" +
        "  --cli-runs N    cli: timed runs of each command, each way (default 12)\n" +
        "  --cli PATH      cli: the built Tributary.Cli.dll (default: the solution's Release build under src/Tributary.Cli)\n" +
        "  --telemetry-batches N  streams: Sunbird batches of up to 20 events (default 2,000: about 33,000 events)\n" +
        "  --clients N     streams: concurrent HTTP clients posting them (default 8)\n" +
        "  --series N      series: hosts, one series each (default 100,000)\n" +
        "  --points N      series: hourly points of each series (default 48)\n" +
        "  --quick         small sizes for a smoke run (--rows 200000, --nodes 500, --windows 300, --freshness-windows 6, --cli-runs 4, --telemetry-batches 500, --series 10000, 3 runs)";

    public static Options Parse(string[] args)
    {
        var mode = "all";
        long rows = 10_000_000;
        long? fileRows = null;
        var warmups = 1;
        var runs = 5;
        var iterations = 2000;
        bool variants = false, showSql = false, breakdown = false, help = false, quick = false, realClock = false;
        int? nodes = null, hours = null, batch = null, windows = null, freshness = null, cliRuns = null, telemetryBatches = null, clients = null, points = null;
        long? seriesCount = null;
        string? cli = null;
        var rowsGiven = false;
        var runsGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            long Number(long min) => long.TryParse(Next().Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"{a} needs a whole number of at least {min}");
            switch (a)
            {
                case var m when Modes.Contains(m):
                    mode = a;
                    break;
                case "--rows":
                    rows = Number(100);
                    rowsGiven = true;
                    break;
                case "--file-rows":
                    fileRows = Number(1);
                    break;
                case "--warmup":
                    warmups = (int)Number(0);
                    break;
                case "--runs":
                    runs = (int)Number(1);
                    runsGiven = true;
                    break;
                case "--nodes":
                    nodes = (int)Math.Min(Number(1), 100_000);
                    break;
                case "--hours":
                    hours = (int)Math.Min(Number(1), 24 * 31);
                    break;
                case "--batch":
                    batch = (int)Math.Min(Number(1), 1000);
                    break;
                case "--windows":
                    windows = (int)Math.Min(Number(10), 1_000_000);
                    break;
                case "--freshness-windows":
                    freshness = (int)Math.Min(Number(1), 1000);
                    break;
                case "--cli-runs":
                    cliRuns = (int)Math.Min(Number(1), 1000);
                    break;
                case "--telemetry-batches":
                    telemetryBatches = (int)Math.Min(Number(1), 1_000_000);
                    break;
                case "--clients":
                    clients = (int)Math.Min(Number(1), 256);
                    break;
                case "--cli":
                    cli = Next();
                    break;
                case "--series":
                    seriesCount = Math.Min(Number(1), 10_000_000);
                    break;
                case "--points":
                    points = (int)Math.Min(Number(8), 100_000);
                    break;
                case "--real-clock":
                    realClock = true;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--iterations":
                    iterations = (int)Number(1);
                    break;
                case "--variants":
                    variants = true;
                    break;
                case "--show-sql":
                    showSql = true;
                    break;
                case "--breakdown":
                    breakdown = true;
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{a}'");
            }
        }

        if (quick)
        {
            rows = rowsGiven ? rows : 200_000;
            runs = runsGiven ? runs : 3;
        }

        return new Options(mode, rows, fileRows ?? Math.Max(1, rows / 10), warmups, runs, iterations, variants, showSql, breakdown, help)
        {
            FleetNodes = nodes ?? (quick ? 500 : 2600),
            FleetHours = hours ?? 6,
            FleetBatch = batch,
            SchedulerWindows = windows ?? (quick ? 300 : 1200),
            FreshnessWindows = freshness ?? (quick ? 6 : 20),
            CliRuns = cliRuns ?? (quick ? 4 : 12),
            TelemetryBatches = telemetryBatches ?? (quick ? 500 : 2000),
            Clients = clients ?? 8,
            SeriesCount = seriesCount ?? (quick ? 10_000 : 100_000),
            SeriesPoints = points ?? 48,
            SeriesRuns = runsGiven ? runs : 3,
            RealClock = realClock,
            CliPath = cli,
            Quick = quick,
        };
    }
}
