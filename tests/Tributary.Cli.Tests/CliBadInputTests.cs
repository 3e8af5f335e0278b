using System.Globalization;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>
/// Two data directories with the same small pipeline (a job of daily windows that started two days ago): one used
/// offline, one owned by a running server, for <see cref="CliBadInputTests"/>.
/// </summary>
public sealed class BadInputFixture : IDisposable
{
    public BadInputFixture()
    {
        Start = DateTime.UtcNow.Date.AddDays(-2);
        foreach (var cli in new[] { Offline, Online })
        {
            var pipeline = cli.WriteFile("good.yaml", Pipeline(Start));
            Ok(cli.Run("apply", pipeline));
        }

        Server = ServerProcess.Start(Online.DataDirectory, Online.Root);
        Catalog = Describe(Offline);
        Assert.Equal(Catalog, Describe(Online));
    }

    /// <summary>The tables and job names both directories have (what a failed apply must leave as it is).</summary>
    public string Catalog { get; }

    /// <summary>The directory's tables (as <c>.show tables</c> lists them) and its job names.</summary>
    public static string Describe(CliProcess cli) =>
        Ok(cli.Run("query", ".show tables | project TableName", "--format", "csv")).Stdout + "\n" +
        string.Join(",", Records(cli.Run("jobs", "list", "--format", "csv")).Select(j => j["Job"]));

    /// <summary>The job's start: two days before today (UTC).</summary>
    public DateTime Start { get; }

    public CliProcess Offline { get; } = new();

    public CliProcess Online { get; } = new();

    public ServerProcess Server { get; }

    public static string Pipeline(DateTime start) => $"""
        tables:
          Src: {"{"} Timestamp: datetime, Value: long {"}"}
          Dst: {"{"} Timestamp: datetime, Value: long {"}"}
        jobs:
          Copy:
            query: Src | where Timestamp >= startTime and Timestamp < endTime
            target: Dst
            window: 1d
            start: {start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}
        """;

    public void Dispose()
    {
        Server.Dispose();
        Offline.Dispose();
        Online.Dispose();
    }
}

/// <summary>
/// Mistakes on the command line, offline and through a server alike: one <c>error:</c> line on stderr that says
/// what is wrong (and where, for pipeline files), exit code 1, nothing on stdout, and nothing changed.
/// </summary>
public sealed class CliBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    public static TheoryData<bool> Modes => new() { false, true };

    private CliProcess Cli(bool throughServer)
    {
        var cli = throughServer ? fixture.Online : fixture.Offline;
        if (throughServer)
        {
            Assert.False(fixture.Server.HasExited, "the server died\n" + fixture.Server.Describe());
        }

        return cli;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Apply_InvalidYaml_ErrorNamesFileLineAndColumn(bool throughServer)
    {
        var error = ApplyFails(throughServer, "bad.yaml", "tables:\n  A: { x: long }\n  B: [ y: long\njobs: {}\n");
        Assert.Matches(@"^error: bad\.yaml:\d+:\d+: not valid YAML", error);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Apply_DependsOnAnUnknownJob_ErrorNamesIt(bool throughServer)
    {
        var error = ApplyFails(throughServer, "deps.yaml", Job("Late", "dependsOn: [Copy, Nowhere]"));
        Assert.Matches(@"^error: deps\.yaml:\d+:\d+: job 'Late' depends on 'Nowhere', which is not a job", error);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Apply_CycleInDependsOn_ErrorNamesTheCycle(bool throughServer)
    {
        var error = ApplyFails(throughServer, "cycle.yaml", Job("A", "dependsOn: [B]") + Job("B", "dependsOn: [A]", header: false));
        Assert.Matches(@"^error: cycle\.yaml:\d+:\d+: the jobs' dependsOn form a cycle: ", error);
        Assert.Contains("A → B → A", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Apply_UnknownTableInAJobQuery_ErrorNamesFileLineAndColumn(bool throughServer)
    {
        var error = ApplyFails(throughServer, "table.yaml", Job("Reader", "", query: "Nope | where Timestamp >= startTime"));
        Assert.Matches(@"^error: table\.yaml:6:\d+: ", error);
        Assert.Contains("'Nope'", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Window_BeforeTheJobsStart_Error(bool throughServer)
    {
        var before = fixture.Start.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var error = UserError(Cli(throughServer).Run("windows", "mark-succeeded", "Copy", "--window", before));
        Assert.Contains("is before Copy starts", error, StringComparison.Ordinal);
        var clear = UserError(Cli(throughServer).Run("windows", "clear", "Copy", "--window", before));
        Assert.Contains("is before Copy starts", clear, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Rerun_FromAfterTo_Error(bool throughServer)
    {
        var from = fixture.Start.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var to = fixture.Start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var error = UserError(Cli(throughServer).Run("jobs", "rerun", "Copy", "--from", from, "--to", to));
        Assert.Contains("must be before --to", error, StringComparison.Ordinal);
        UserError(Cli(throughServer).Run("jobs", "backfill", "Copy", "--from", from, "--to", to));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void UnknownJob_EveryCommand_ErrorNamesIt(bool throughServer)
    {
        var cli = Cli(throughServer);
        var day = fixture.Start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        string[][] commands =
        [
            ["jobs", "show", "NoSuchJob"],
            ["jobs", "rerun", "NoSuchJob", "--from", day, "--to", fixture.Start.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)],
            ["jobs", "pause", "NoSuchJob"],
            ["jobs", "set", "NoSuchJob", "--attempts", "3"],
            ["jobs", "kill", "NoSuchJob"],
            ["windows", "clear", "NoSuchJob", "--window", day],
            ["windows", "retract", "NoSuchJob", "--window", day],
            ["runs", "start", "--jobs", "Copy,NoSuchJob", "--window", day],
        ];
        foreach (var command in commands)
        {
            var error = UserError(cli.Run(command));
            Assert.StartsWith("error: unknown job 'NoSuchJob' (jobs: Copy)", error, StringComparison.Ordinal);
        }

        var near = UserError(cli.Run("jobs", "show", "copy"));
        Assert.StartsWith("error: unknown job 'copy'; did you mean 'Copy'?", near, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void RunsShow_UnknownId_Error(bool throughServer)
    {
        var error = UserError(Cli(throughServer).Run("runs", "show", "no-such-run"));
        Assert.Equal("error: no run has transaction id 'no-such-run'", error);
        UserError(Cli(throughServer).Run("runs", "rerun", "no-such-run"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Times_NotATime_Error(bool throughServer)
    {
        var error = UserError(Cli(throughServer).Run("jobs", "run", "--until", "tomorrowish"));
        Assert.Contains("--until 'tomorrowish' is not a time", error, StringComparison.Ordinal);
        UserError(Cli(throughServer).Run("jobs", "list", "--as-of", "soon"));
    }

    /// <summary>Applies a bad file: the error line is returned, and the directory's tables and jobs are as before.</summary>
    [Theory]
    [MemberData(nameof(Modes))]
    public void JobsSet_BatchNotANumberOrOutOfRange_PlainErrorAndTheJobUnchanged(bool throughServer)
    {
        var cli = Cli(throughServer);
        Assert.Equal("error: job 'Copy': 'batch' must be between 1 and 1000, not 0", UserError(cli.Run("jobs", "set", "Copy", "--batch", "0")));

        // Parse errors add a usage hint as a second line.
        foreach (var (option, value) in new[] { ("--batch", "lots"), ("--max-parallelism", "2.5") })
        {
            var r = cli.Run("jobs", "set", "Copy", option, value);
            Assert.True(r.ExitCode == 1 && r.Stdout.Length == 0, r.ToString());
            Assert.Equal($"error: {option} takes a whole number, not '{value}'\n(run with --help for usage)", r.Stderr.Replace("\r", "", StringComparison.Ordinal).Trim());
        }

        Assert.Equal(fixture.Catalog, BadInputFixture.Describe(cli));
    }

    private string ApplyFails(bool throughServer, string name, string yaml)
    {
        var cli = Cli(throughServer);
        cli.WriteFile(name, yaml);
        var error = UserError(cli.Run("apply", name)); // named as the user named it (the CLI runs in the file's directory)
        Assert.Equal(fixture.Catalog, BadInputFixture.Describe(cli));
        return error;
    }

    /// <summary>A pipeline file with one job reading Src into a new table Out (line 6 holds its query).</summary>
    private string Job(string name, string extra, string query = "Src | where Timestamp >= startTime and Timestamp < endTime", bool header = true) =>
        (header ? "tables:\n  Out: { Timestamp: datetime, Value: long }\njobs:\n" : "") +
        $"  {name}:\n" +
        $"    target: Out\n" +
        $"    query: {query}\n" +
        $"    window: 1d\n" +
        $"    start: {fixture.Start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n" +
        (extra.Length > 0 ? $"    {extra}\n" : "");
}
