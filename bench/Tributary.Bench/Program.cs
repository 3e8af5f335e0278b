using System.Globalization;
using Tributary.Bench;

// Usage: Tributary.Bench ingest [rows] [repeats]
if (args.Length > 0 && args[0] == "ingest")
{
    var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
    return IngestBenchmark.Run(rows, repeats);
}

Console.Error.WriteLine("usage: Tributary.Bench ingest [rows] [repeats]");
return 0;
