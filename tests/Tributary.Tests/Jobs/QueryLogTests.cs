using Tributary.Jobs;
using Tributary.Kql;

namespace Tributary.Tests.Jobs;

/// <summary>What QueryLog and JobAttempts record of the queries jobs and users run.</summary>
public sealed class QueryLogTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    [Fact]
    public async Task QueryLog_JobAttempt_RecordedAsJobUserWithBoundText()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(11));
        await f.RunDue();

        var rows = f.Temp.Rows("QueryLog | where User == 'job:A' | project Text, State, Error, RowCount");
        var row = Assert.Single(rows);
        var text = (string)row[0]!;
        Assert.Equal("fMid(datetime(2024-05-23T00:00:00.0000000Z), datetime(2024-05-23T00:10:00.0000000Z))", text);
        Assert.Contains("datetime(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("startTime", text, StringComparison.Ordinal);
        Assert.Equal("Completed", row[1]);
        Assert.Equal("", row[2]);
        Assert.Equal(30L, row[3]);

        var b = (string)Assert.Single(f.Temp.Rows("QueryLog | where User == 'job:B' | project Text"))[0]!;
        Assert.Equal("Mid | where Timestamp >= datetime(2024-05-23T00:00:00.0000000Z) and Timestamp < datetime(2024-05-23T00:10:00.0000000Z) | extend Stage = \"out\"", b);
    }

    [Fact]
    public async Task JobAttempts_Query_IsTheBoundText()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(21));
        await f.RunDue();

        var queries = f.Attempts("A").Select(a => (string)a[5]!).ToList();
        Assert.Equal(
        [
            "fMid(datetime(2024-05-23T00:00:00.0000000Z), datetime(2024-05-23T00:10:00.0000000Z))",
            "fMid(datetime(2024-05-23T00:10:00.0000000Z), datetime(2024-05-23T00:20:00.0000000Z))",
        ], queries);
        Assert.Equal(queries[0], f.Temp.Scalar("JobAttempts | where Job == 'A' and WindowStart == datetime(2024-05-23) | project Query"));
    }

    [Fact]
    public void QueryLog_ExecuteAs_RecordsTheUser()
    {
        using var f = new JobsFixture();
        f.Store.ExecuteAs("alice", "Src | count");
        var row = Assert.Single(f.Temp.Rows("QueryLog | where User == 'alice' | project Text, State, RowCount"));
        Assert.Equal("Src | count", row[0]);
        Assert.Equal("Completed", row[1]);
        Assert.Equal(1L, row[2]);
    }

    [Fact]
    public void QueryLog_FailedQuery_StateFailedWithError()
    {
        using var f = new JobsFixture();
        Assert.Throws<KqlException>(() => f.Store.ExecuteAs("alice", "Nowhere | count"));
        var row = Assert.Single(f.Temp.Rows("QueryLog | where User == 'alice' | project Text, State, Error"));
        Assert.Equal("Nowhere | count", row[0]);
        Assert.Equal("Failed", row[1]);
        Assert.Contains("Nowhere", (string)row[2]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryLog_FailedAttempt_StateFailedWithTheAttemptError()
    {
        using var f = new JobsFixture(extraJobSettingsA: "rowLimit: 20\nattempts: 1");
        f.SetNow(T0.AddMinutes(11));
        await f.RunDue();
        var row = Assert.Single(f.Temp.Rows("QueryLog | where User == 'job:A' | project State, Error, Text"));
        Assert.Equal("Failed", row[0]);
        Assert.Contains("row limit of 20", (string)row[1]!, StringComparison.Ordinal);
        Assert.StartsWith("fMid(datetime(", (string)row[2]!, StringComparison.Ordinal);
    }

    [Fact]
    public void BoundQueryText_StartAndEnd_WrittenAsDatetimes()
    {
        var job = new JobDefinition("J", "T | where Timestamp >= startTime and Timestamp < endTime", "X", TimeSpan.FromHours(1), TimeSpan.Zero, T0, []);
        Assert.Equal("T | where Timestamp >= datetime(2024-05-23T01:00:00.0000000Z) and Timestamp < datetime(2024-05-23T02:00:00.0000000Z)",
            JobScheduler.BoundQueryText(job, job.WindowAt(T0.AddMinutes(90))));

        // Text that does not tokenize is shown as written.
        var broken = job with { Query = "T | where x == 'unclosed" };
        Assert.Equal(broken.Query, JobScheduler.BoundQueryText(broken, job.WindowAt(T0)));
    }
}
