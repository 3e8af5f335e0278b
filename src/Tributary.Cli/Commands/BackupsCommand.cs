using System.CommandLine;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary backups replay --topic T --from T --to T [--into T]</c>: puts backed-up records back into a topic (Secor's restore, seed 002).</summary>
internal static class BackupsCommand
{
    public static Command Create(Option<string> data)
    {
        var backups = new Command("backups", "The raw records backup sinks keep, by topic and hour");
        var topic = new Option<string>("--topic") { Description = "The topic whose backups to replay", Required = true };
        var from = new Option<string>("--from") { Description = "Records with timestamps from this time (ISO-8601 UTC)", Required = true };
        var to = new Option<string>("--to") { Description = "… up to this time, exclusive", Required = true };
        var into = new Option<string?>("--into") { Description = "Append to this topic instead of the backed-up one" };
        var replay = new Command("replay", "Append a topic's backed-up records of a time range to the topic (or to --into)") { topic, from, to, into };
        replay.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var result = ops.ReplayBackups(parse.GetValue(topic)!, CliTime.Parse(parse.GetValue(from), "--from"), CliTime.Parse(parse.GetValue(to), "--to"), parse.GetValue(into), CancellationToken.None);
            Console.WriteLine($"replayed {result.Records:N0} record(s) of '{result.Topic}' from {result.Files} backup file(s) into '{result.Into}' ({result.From:yyyy-MM-dd HH:mm:ss} to {result.To:yyyy-MM-dd HH:mm:ss} UTC)");
            return 0;
        }));
        backups.Add(replay);
        return backups;
    }
}
