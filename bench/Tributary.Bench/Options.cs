using System.Globalization;

namespace Tributary.Bench;

/// <summary>One line of the summary table; <paramref name="Ratio"/> is the text shown (median ratio, and the ratio of the minimums).</summary>
internal sealed record Row(string Bench, string Case, string Ours, string Baseline, string Ratio, string Target, bool? Met, string Load);

/// <summary>Command-line options.</summary>
internal sealed record Options(string Mode, long SnapshotRows, long FileRows, int Warmups, int Runs, int TranslateIterations, bool Variants, bool ShowSql, bool Breakdown, bool Help)
{
    public const string Usage =
        "usage: Tributary.Bench [all|latest|ingest|translate] [--rows N] [--file-rows N] [--warmup N] [--runs N] [--iterations N] [--variants] [--show-sql] [--breakdown]\n" +
        "  --rows N        rows of the latest-state snapshot table (default 10,000,000; objects = rows / 100);\n" +
        "                  also sets --file-rows to N / 10 unless given\n" +
        "  --file-rows N   rows of the CSV and JSON-lines files to ingest (default 1,000,000)\n" +
        "  --warmup N      untimed runs before timing (default 1)\n" +
        "  --runs N        timed runs of each side (default 5 for queries, ingestion uses max(3, N - 2))\n" +
        "  --iterations N  timed translations of each question (default 2000)\n" +
        "  --variants      time every hand-written SQL candidate and use the fastest as the baseline\n" +
        "  --show-sql      print the SQL the translator generates for the latest-state queries\n" +
        "  --breakdown     also time the stages of Tributary's ingestion (reading the file, converting each typed column)";

    public static Options Parse(string[] args)
    {
        var mode = "all";
        long rows = 10_000_000;
        long? fileRows = null;
        var warmups = 1;
        var runs = 5;
        var iterations = 2000;
        bool variants = false, showSql = false, breakdown = false, help = false;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            long Number(long min) => long.TryParse(Next().Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"{a} needs a whole number of at least {min}");
            switch (a)
            {
                case "all" or "latest" or "ingest" or "translate":
                    mode = a;
                    break;
                case "--rows":
                    rows = Number(100);
                    break;
                case "--file-rows":
                    fileRows = Number(1);
                    break;
                case "--warmup":
                    warmups = (int)Number(0);
                    break;
                case "--runs":
                    runs = (int)Number(1);
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

        return new Options(mode, rows, fileRows ?? Math.Max(1, rows / 10), warmups, runs, iterations, variants, showSql, breakdown, help);
    }
}
