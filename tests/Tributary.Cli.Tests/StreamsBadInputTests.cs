using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>Both directories with a topic 'events' (2 partitions, 3 records) and a group 'readers', for <see cref="StreamsBadInputTests"/>.</summary>
public sealed class StreamsBadInputFixture : IDisposable
{
    public StreamsBadInputFixture()
    {
        foreach (var cli in new[] { Offline, Online })
        {
            Ok(cli.Run("topics", "create", "events", "--partitions", "2"));
            Ok(cli.RunWithInput("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", "produce", "events", "--key-field", "id"));
            Ok(cli.Run("consume", "events", "--group", "readers", "--from-beginning", "--timeout", "0"));
        }

        Server = ServerProcess.Start(Online.DataDirectory, Online.Root);
        State = Describe(Offline);
        Assert.Equal(State, Describe(Online));
    }

    public CliProcess Offline { get; } = new();

    public CliProcess Online { get; } = new();

    public ServerProcess Server { get; }

    /// <summary>The topics and groups both directories hold (what a mistake must leave as it is).</summary>
    public string State { get; }

    public static string Describe(CliProcess cli) =>
        Ok(cli.Run("topics", "list", "--format", "csv")).Stdout + Ok(cli.Run("groups", "list", "--format", "csv")).Stdout;

    public void Dispose()
    {
        Server.Dispose();
        Offline.Dispose();
        Online.Dispose();
    }
}

/// <summary>
/// Mistakes with the streams commands, offline and through a server alike: one <c>error:</c> line that says what is wrong
/// (parse errors add a usage hint), exit code 1, nothing on stdout, and nothing changed.
/// </summary>
public sealed class StreamsBadInputTests(StreamsBadInputFixture fixture) : IClassFixture<StreamsBadInputFixture>
{
    public static TheoryData<bool> Modes => new() { false, true };

    private CliProcess Cli(bool throughServer)
    {
        if (throughServer)
        {
            Assert.False(fixture.Server.HasExited, "the server died\n" + fixture.Server.Describe());
        }

        return throughServer ? fixture.Online : fixture.Offline;
    }

    /// <summary>A parse error: exit 1, nothing on stdout, the error and the usage hint on stderr.</summary>
    private static string ParseError(CliResult r)
    {
        Assert.True(r.ExitCode == 1 && r.Stdout.Length == 0, r.ToString());
        var lines = r.Stderr.Replace("\r", "", StringComparison.Ordinal).Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("(run with --help for usage)", lines[1]);
        return lines[0];
    }

    private void AssertUnchanged(CliProcess cli) => Assert.Equal(fixture.State, StreamsBadInputFixture.Describe(cli));

    [Theory]
    [MemberData(nameof(Modes))]
    public void TopicsCreate_BadArguments_SayWhich(bool throughServer)
    {
        var cli = Cli(throughServer);
        Assert.Equal("error: topic 'x': partitions must be between 1 and 256, not 0", UserError(cli.Run("topics", "create", "x", "--partitions", "0")));
        Assert.Equal("error: --retention '2x' is not a duration (examples: 12h, 14d) or 'forever'", UserError(cli.Run("topics", "create", "x", "--retention", "2x")));
        Assert.Equal("error: --retention-bytes 'lots' is not a size (examples: 512MB, 1GB, 1048576)", UserError(cli.Run("topics", "create", "x", "--retention-bytes", "lots")));
        Assert.Equal("error: topic 'x': retention size must be at least 1 KB, not 10 bytes", UserError(cli.Run("topics", "create", "x", "--retention-bytes", "10")));
        Assert.StartsWith("error: 'bad name!' is not a valid topic name", UserError(cli.Run("topics", "create", "bad name!")), StringComparison.Ordinal);
        Assert.Equal("error: topic 'events' already exists", UserError(cli.Run("topics", "create", "events")));
        Assert.Equal("error: --partitions takes a whole number, not 'many'", ParseError(cli.Run("topics", "create", "x", "--partitions", "many")));
        Assert.StartsWith("error: Required argument 'name' missing for command: 'create'", ParseError(cli.Run("topics", "create")), StringComparison.Ordinal);
        AssertUnchanged(cli);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void UnknownTopic_EveryCommand_SaysSoAndHowToCreateIt(bool throughServer)
    {
        var cli = Cli(throughServer);
        cli.WriteFile("one.txt", "a line\n");
        string[][] commands =
        [
            ["topics", "describe", "nope"],
            ["topics", "delete", "nope"],
            ["produce", "nope", "one.txt"],
            ["consume", "nope", "--timeout", "0"],
            ["consume", "nope", "--group", "readers", "--timeout", "0"],
            ["groups", "reset-offsets", "readers", "--topic", "nope", "--to-earliest"],
            ["groups", "describe", "readers", "--topic", "nope"],
        ];
        foreach (var command in commands)
        {
            Assert.Equal("error: topic 'nope' does not exist; create it with: topics create nope", UserError(cli.Run(command)));
        }

        Assert.Equal("error: topic 'Events' does not exist (did you mean 'events'?); create it with: topics create Events", UserError(cli.Run("topics", "describe", "Events")));
        AssertUnchanged(cli);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Produce_BadInput_NamesTheLine_NothingProduced(bool throughServer)
    {
        var cli = Cli(throughServer);
        cli.WriteFile("broken.jsonl", "{\"id\":4}\n{\"id\":5\n");
        cli.WriteFile("keyless.txt", "{\"id\":4}\n{\"other\":5}\n");
        cli.WriteFile("empty.txt", "\n  \n");
        var broken = UserError(cli.Run("produce", "events", "broken.jsonl"));
        Assert.StartsWith("error: broken.jsonl: line 2 is not valid JSON: ", broken, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was produced", broken, StringComparison.Ordinal);
        Assert.Equal("error: keyless.txt: line 2 has no key field 'id'; nothing was produced", UserError(cli.Run("produce", "events", "keyless.txt", "--key-field", "id")));
        Assert.StartsWith("error: standard input: line 1 is not JSON, so its key field 'id' cannot be read", UserError(cli.RunWithInput("plain\n", "produce", "events", "--key-field", "id")), StringComparison.Ordinal);
        Assert.Equal("error: empty.txt has no records (one per non-empty line); nothing was produced", UserError(cli.Run("produce", "events", "empty.txt")));
        Assert.Equal("error: file not found: missing.txt", UserError(cli.Run("produce", "events", "missing.txt")));
        Assert.StartsWith("error: Required argument 'topic' missing for command: 'produce'", ParseError(cli.Run("produce")), StringComparison.Ordinal);
        AssertUnchanged(cli);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Consume_BadOptions_SayWhich(bool throughServer)
    {
        var cli = Cli(throughServer);
        Assert.Equal("error: --max must be at least 1, not 0", UserError(cli.Run("consume", "events", "--max", "0")));
        Assert.Equal("error: topic 'events' has partitions 0 to 1, not 9", UserError(cli.Run("consume", "events", "--partition", "9", "--timeout", "0")));
        Assert.Equal("error: --timeout 'soon' is not a duration (examples: 500ms, 5s, 1m; 0; forever)", UserError(cli.Run("consume", "events", "--timeout", "soon")));
        Assert.StartsWith("error: 'two words' is not a valid consumer group name", UserError(cli.Run("consume", "events", "--group", "two words", "--timeout", "0")), StringComparison.Ordinal);
        Assert.Equal("error: --max takes a whole number, not 'all'", ParseError(cli.Run("consume", "events", "--max", "all")));
        AssertUnchanged(cli);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Groups_BadInput_SayWhich(bool throughServer)
    {
        var cli = Cli(throughServer);
        Assert.Equal("error: consumer group 'nobody' does not exist (groups: readers)", UserError(cli.Run("groups", "describe", "nobody")));
        Assert.Equal("error: consumer group 'Readers' does not exist; did you mean 'readers'?", UserError(cli.Run("groups", "describe", "Readers")));
        Assert.Equal("error: say where to move the offsets: one of --to-earliest, --to-latest, --to-datetime T, --shift-by N, --to-offset N",
            UserError(cli.Run("groups", "reset-offsets", "readers", "--topic", "events")));
        Assert.Equal("error: give one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset, not --to-earliest and --shift-by",
            UserError(cli.Run("groups", "reset-offsets", "readers", "--topic", "events", "--to-earliest", "--shift-by", "2")));
        Assert.StartsWith("error: --to-datetime 'yesterday' is not a time", UserError(cli.Run("groups", "reset-offsets", "readers", "--topic", "events", "--to-datetime", "yesterday")), StringComparison.Ordinal);
        Assert.Equal("error: --to-offset must not be negative, not -3", UserError(cli.Run("groups", "reset-offsets", "readers", "--topic", "events", "--to-offset", "-3")));
        Assert.Equal("error: --shift-by takes a whole number, not 'back'", ParseError(cli.Run("groups", "reset-offsets", "readers", "--topic", "events", "--shift-by", "back")));
        Assert.Equal("error: Option '--topic' is required.", ParseError(cli.Run("groups", "reset-offsets", "readers", "--to-earliest")));
        AssertUnchanged(cli);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Ingestion_UnknownAction_ParseError(bool throughServer)
    {
        var cli = Cli(throughServer);
        var r = cli.Run("ingestion", "stop");
        Assert.True(r.ExitCode == 1 && r.Stdout.Length == 0, r.ToString());
        Assert.Contains("error: Unrecognized command or argument 'stop'", r.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("ingestion is running", Ok(cli.Run("ingestion", "status")).Stdout, StringComparison.Ordinal);
    }
}
