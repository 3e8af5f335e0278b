using Tributary.Telemetry;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary><c>tributary generate telemetry</c>: batches as JSON lines in a file or on stdout, the tally on stderr, one precise line for every mistake.</summary>
public sealed class CliGenerateTelemetryTests : IDisposable
{
    private const string From = "2024-05-06T00:00:00Z";
    private const string To = "2024-05-07T00:00:00Z";

    private readonly CliProcess _cli = new();

    private static TelemetryGenerateOptions Options(int batches) =>
        new(new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 5, 7, 0, 0, 0, DateTimeKind.Utc)) { Batches = batches };

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void GenerateTelemetry_ToFile_TheGeneratorsLinesAndItsTallyOnStderr()
    {
        var r = Ok(_cli.Run("generate", "telemetry", "--batches", "60", "--from", From, "--to", To, "--seed", "7", "--malformed", "0.05", "--out", "batches.jsonl"));

        var expected = TelemetryGenerator.Generate(Options(60) with { Seed = 7, MalformedBatches = 0.05 });
        Assert.Equal(string.Concat(expected.Batches.Select(b => b + "\n")), File.ReadAllText(Path.Combine(_cli.Root, "batches.jsonl")));
        Assert.Empty(r.Stdout);
        Assert.StartsWith("wrote 60 batches to batches.jsonl, events in [2024-05-06T00:00:00Z, 2024-05-07T00:00:00Z), seed 7\n", Lf(r.Stderr), StringComparison.Ordinal);
        Assert.Contains(expected.Tally.Format(), Lf(r.Stderr), StringComparison.Ordinal);
        Assert.Contains("batches: 60 (56 unique, 1 duplicate, 3 malformed)", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.DataDirectory), "generate telemetry needs no data directory");
        Assert.Equal(["batches.jsonl"], Directory.GetFiles(_cli.Root).Select(Path.GetFileName)); // no temporary file left
    }

    [Fact]
    public void GenerateTelemetry_Lookups_DevicesAndUsersOfTheBatches_ReadyToIngest()
    {
        Directory.CreateDirectory(Path.Combine(_cli.Root, "lookups"));
        var r = Ok(_cli.Run("generate", "telemetry", "--batches", "120", "--from", From, "--to", To, "--out", "batches.jsonl", "--lookups", "lookups"));

        var batches = TelemetryGenerator.Generate(Options(120)).Batches;
        var devices = File.ReadAllLines(Path.Combine(_cli.Root, "lookups", "devices.csv"));
        var users = File.ReadAllLines(Path.Combine(_cli.Root, "lookups", "users.csv"));
        Assert.Equal("DeviceId,State,District,Country,FirstAccess", devices[0]);
        Assert.Equal("UserId,UserType,State", users[0]);
        var deviceIds = devices[1..].Select(l => l.Split(',')[0]).ToList();
        var userIds = users[1..].Select(l => l.Split(',')[0]).ToList();
        Assert.All(deviceIds, d => Assert.Contains(batches, b => b.Contains($"\"did\":\"{d}\"", StringComparison.Ordinal)));
        Assert.All(userIds, u => Assert.Contains(batches, b => b.Contains($"\"id\":\"{u}\"", StringComparison.Ordinal)));
        Assert.Matches($@"wrote {deviceIds.Count} of the \d+ devices the batches hold to \S+devices\.csv \(for: tributary ingest Devices ", r.Stderr);

        // They load into the sample pipeline's lookup tables.
        Ok(_cli.Run("query", ".create table Devices (DeviceId: string, State: string, District: string, Country: string, FirstAccess: datetime)"));
        Ok(_cli.Run("query", ".create table Users (UserId: string, UserType: string, State: string)"));
        Ok(_cli.Run("ingest", "Devices", Path.Combine(_cli.Root, "lookups", "devices.csv")));
        Ok(_cli.Run("ingest", "Users", Path.Combine(_cli.Root, "lookups", "users.csv")));
        var counts = Ok(_cli.Run("query", "Devices | summarize Devices = count(), WithPlace = countif(isnotempty(State) and isnotnull(FirstAccess)) | extend Users = toscalar(Users | count)", "--format", "csv"));
        Assert.Contains($"{deviceIds.Count},{deviceIds.Count},{userIds.Count}", counts.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateTelemetry_OutDash_BatchesOnStdout()
    {
        var r = Ok(_cli.Run("generate", "telemetry", "--batches", "25", "--events-per-batch", "5", "--from", From, "--to", To, "--out", "-"));

        var expected = TelemetryGenerator.Generate(Options(25) with { EventsPerBatch = 5 });
        Assert.Equal(expected.Batches, Lf(r.Stdout).TrimEnd('\n').Split('\n'));
        Assert.StartsWith("wrote 25 batches to stdout", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateTelemetry_OnlyFrom_ADayFromIt()
    {
        Ok(_cli.Run("generate", "telemetry", "--batches", "5", "--from", From, "--out", "a.jsonl"));
        Ok(_cli.Run("generate", "telemetry", "--batches", "5", "--to", To, "--out", "b.jsonl"));

        Assert.Equal(File.ReadAllText(Path.Combine(_cli.Root, "a.jsonl")), File.ReadAllText(Path.Combine(_cli.Root, "b.jsonl")));
    }

    [Theory]
    [InlineData("error: --batches must be between 1 and 1000000, not -5", "--batches", "-5")]
    [InlineData("error: --batches must be between 1 and 1000000, not 0", "--batches", "0")]
    [InlineData("error: --events-per-batch must be between 1 and 1000, not 0", "--events-per-batch", "0")]
    [InlineData("error: --users must be between 1 and 1000000, not -1", "--users", "-1")]
    [InlineData("error: --duplicates must be a fraction between 0 and 1, not 1.5", "--duplicates", "1.5")]
    [InlineData("error: --invalid must be a fraction between 0 and 1, not -0.1", "--invalid", "-0.1")]
    [InlineData("error: --duplicate-batches must be a fraction between 0 and 1, not 2", "--duplicate-batches", "2")]
    [InlineData("error: --malformed must be a fraction between 0 and 1, not NaN", "--malformed", "NaN")]
    [InlineData("error: --oversize must be a fraction between 0 and 1, not 1.01", "--oversize", "1.01")]
    [InlineData("error: --oversize-bytes '12' is not a size between 4KB and 64MB (examples: 64KB, 1MB)", "--oversize-bytes", "12")]
    [InlineData("error: --duplicates + --invalid + --oversize (0.7 + 0.5 + 0) must not exceed 1", "--duplicates", "0.7", "--invalid", "0.5")]
    [InlineData("error: --from 'tomorrowish' is not a time (use ISO-8601 UTC, e.g. 2023-05-22T10:00:00Z, or 'now')", "--from", "tomorrowish")]
    [InlineData("error: --to '2024-13-01' is not a time (use ISO-8601 UTC, e.g. 2023-05-22T10:00:00Z, or 'now')", "--to", "2024-13-01")]
    [InlineData("error: --from (2024-05-07T00:00:00Z) must be before --to (2024-05-06T00:00:00Z)", "--from", To, "--to", From)]
    [InlineData("error: --from (1969-12-31T00:00:00Z) must not be before 1970", "--from", "1969-12-31T00:00:00Z")]
    [InlineData("error: --lookups 'nowhere': the directory does not exist", "--lookups", "nowhere")]
    public void GenerateTelemetry_BadInput_OneLineAndExitOne_NoFile(string expected, params string[] args)
    {
        var error = UserError(_cli.Run(["generate", "telemetry", .. args, "--out", "batches.jsonl"]));

        Assert.Equal(expected, error);
        Assert.Empty(Directory.GetFiles(_cli.Root));
    }

    [Fact]
    public void GenerateTelemetry_BadInput_ExistingFileUntouched()
    {
        var path = _cli.WriteFile("batches.jsonl", "keep me\n");

        UserError(_cli.Run("generate", "telemetry", "--duplicates", "2", "--out", "batches.jsonl"));

        Assert.Equal("keep me\n", File.ReadAllText(path));
    }

    [Fact]
    public void GenerateTelemetry_UnwritableOut_OneLineNamingIt()
    {
        var file = _cli.WriteFile("plain.txt", "");

        Assert.Equal($"error: --out 'missing/batches.jsonl': directory '{Path.Combine(_cli.Root, "missing")}' does not exist",
            UserError(_cli.Run("generate", "telemetry", "--out", "missing/batches.jsonl")));
        Assert.Equal($"error: --out 'plain.txt/batches.jsonl': directory '{file}' does not exist",
            UserError(_cli.Run("generate", "telemetry", "--out", "plain.txt/batches.jsonl")));
        Assert.Equal("error: --out '.' is a directory, not a file", UserError(_cli.Run("generate", "telemetry", "--out", ".")));
    }

    [Fact]
    public void GenerateTelemetry_NoOut_ParseErrorExitOne()
    {
        var r = _cli.Run("generate", "telemetry", "--batches", "3");

        Assert.Equal(1, r.ExitCode);
        Assert.Empty(r.Stdout);
        Assert.StartsWith("error: Option '--out' is required.", r.Stderr, StringComparison.Ordinal);
    }

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
