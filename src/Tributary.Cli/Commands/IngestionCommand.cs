using System.CommandLine;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary ingestion status|pause|resume</c>: the ingestion switch (seed 004: stop intake without losing data).
/// While paused the telemetry and producer APIs answer 503 with Retry-After (clients retry) and <c>produce</c> is refused;
/// what the log holds stays for each topic's retention.
/// </summary>
internal static class IngestionCommand
{
    public static Command Create(Option<string> data)
    {
        var ingestion = new Command("ingestion", "Pause, resume and show ingestion (the telemetry and producer APIs, and produce)");
        var status = new Command("status", "Whether ingestion is paused");
        status.SetAction(parse => JobsCommand.Run(data, parse, ops => Print(ops.GetIngestion())));
        ingestion.Add(status);
        var pause = new Command("pause", "Pause ingestion: producers get 503 with Retry-After and retry; nothing is lost");
        pause.SetAction(parse => JobsCommand.Run(data, parse, ops => Print(ops.SetIngestionPaused(true))));
        ingestion.Add(pause);
        var resume = new Command("resume", "Let ingestion run again");
        resume.SetAction(parse => JobsCommand.Run(data, parse, ops => Print(ops.SetIngestionPaused(false))));
        ingestion.Add(resume);
        return ingestion;
    }

    private static int Print(Streams.Ingest.IngestionStatus status)
    {
        Console.WriteLine(status.Describe());
        return 0;
    }
}
