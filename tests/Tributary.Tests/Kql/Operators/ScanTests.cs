using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>scan against the examples of Kusto's documentation (its walkthrough included), and its errors.</summary>
public sealed class ScanTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private static List<string> Rows(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).ToList();

    [Fact]
    public void Scan_CumulativeSum_ReadsThePreviousMatchThroughTheStepName()
    {
        var result = store.Run("""
            range x from 1 to 5 step 1
            | scan declare (cumulative_x:long=0) with
            (
                step s1: true => cumulative_x = x + s1.cumulative_x;
            )
            """);
        Assert.Equal(["x", "cumulative_x"], result.Names());
        Assert.Equal([1L, 3L, 6L, 10L, 15L], result.Column("cumulative_x"));
    }

    [Fact]
    public void Scan_CumulativeSumsWithAReset_AssignSeveralColumns()
    {
        var result = store.Run("""
            range x from 1 to 5 step 1
            | extend y = 2 * x
            | scan declare (cumulative_x:long=0, cumulative_y:long=0) with
            (
                step s1: true => cumulative_x = iff(s1.cumulative_x >= 10, x, x + s1.cumulative_x),
                                 cumulative_y = iff(s1.cumulative_y >= 10, y, y + s1.cumulative_y);
            )
            """);
        Assert.Equal(["1|2|1|2", "2|4|3|6", "3|6|6|12", "4|8|10|8", "5|10|5|18"], Rows(result));
    }

    [Fact]
    public void Scan_FillForward_CarriesTheLastNonEmptyValue()
    {
        var result = store.Run("""
            let Events = datatable (Ts: timespan, Event: string) [0m, "A", 1m, "", 2m, "B", 3m, "", 4m, "", 6m, "C", 8m, "", 11m, "D", 12m, ""];
            Events
            | sort by Ts asc
            | scan declare (Event_filled: string="") with
            (
                step s1: true => Event_filled = iff(isempty(Event), s1.Event_filled, Event);
            )
            """);
        Assert.Equal(["A", "A", "B", "B", "B", "C", "C", "D", "D"], result.Column("Event_filled"));
    }

    [Fact]
    public void Scan_Sessions_OutputNoneStepEndsASession_AndMatchIdsCountThem()
    {
        var result = store.Run("""
            let Events = datatable (Ts: timespan, Event: string) [0m, "A", 1m, "A", 2m, "B", 3m, "D", 32m, "B", 36m, "C", 38m, "D", 41m, "E", 75m, "A"];
            Events
            | sort by Ts asc
            | scan with_match_id=session_id declare (sessionStart: timespan) with
            (
                step inSession: true => sessionStart = iff(isnull(inSession.sessionStart), Ts, inSession.sessionStart);
                step endSession output=none: Ts - inSession.sessionStart > 30m;
            )
            """);
        Assert.Equal(["Ts", "Event", "sessionStart", "session_id"], result.Names());
        Assert.Equal([0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L, 2L], result.Column("session_id"));
        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMinutes(32), TimeSpan.FromMinutes(32), TimeSpan.FromMinutes(32), TimeSpan.FromMinutes(32), TimeSpan.FromMinutes(75)],
            result.Column("sessionStart"));
    }

    [Fact]
    public void Scan_EventsBetweenStartAndStop_FollowsTheWalkthrough()
    {
        var result = store.Run("""
            let Events = datatable (Ts: timespan, Event: string) [0m, "A", 1m, "Start", 2m, "B", 3m, "D", 4m, "Stop", 6m, "C", 8m, "Start", 11m, "E", 12m, "Stop"];
            Events
            | sort by Ts asc
            | scan with_match_id=m_id with
            (
                step s1: Event == "Start";
                step s2: Event != "Start" and Event != "Stop" and Ts - s1.Ts <= 5m;
                step s3: Event == "Stop" and Ts - s1.Ts <= 5m;
            )
            """);
        Assert.Equal(["Start", "B", "D", "Stop", "Start", "E", "Stop"], result.Column("Event"));
        Assert.Equal([0L, 0L, 0L, 0L, 1L, 1L, 1L], result.Column("m_id"));
    }

    [Fact]
    public void Scan_InsidePartition_RunsPerKey_OneRowPerSession()
    {
        var result = store.Run("""
            let LogsEvents = datatable(Timestamp:datetime, userID:int, EventType:string)
            [
                datetime(2024-05-28 08:15:23), 1, "login",
                datetime(2024-05-28 08:30:15), 2, "login",
                datetime(2024-05-28 09:10:27), 3, "login",
                datetime(2024-05-28 12:30:45), 1, "logout",
                datetime(2024-05-28 11:45:32), 2, "logout",
                datetime(2024-05-28 13:25:19), 3, "logout"
            ];
            LogsEvents
            | sort by userID, Timestamp
            | partition hint.strategy=native by userID (
                sort by Timestamp asc
                | scan declare (start: datetime, end: datetime, sessionDuration: timespan) with (
                    step s1 output=none: EventType == "login" => start = Timestamp;
                    step s2 output=all: EventType == "logout" => start = s1.start, end = Timestamp, sessionDuration = Timestamp - s1.start;
                )
            )
            | project start, end, userID, sessionDuration
            | sort by userID asc
            """);
        Assert.Equal([1, 2, 3], result.Column("userID"));
        Assert.Equal([new TimeSpan(4, 15, 22), new TimeSpan(3, 15, 17), new TimeSpan(4, 14, 52)], result.Column("sessionDuration"));
        Assert.Equal(QueryResultExtensions.Utc(2024, 5, 28, 8, 15, 23), result.Column("start")[0]);
    }

    [Fact]
    public void Scan_Funnel_CountsTheKeysThatReachEachStep()
    {
        var result = store.Run("""
            datatable(State:string, StartTime:datetime, EventType:string)
            [
                "A", datetime(2020-01-01 00:00), "Hail", "A", datetime(2020-01-01 00:30), "Tornado", "A", datetime(2020-01-01 01:00), "Thunderstorm Wind",
                "B", datetime(2020-01-01 00:00), "Hail", "B", datetime(2020-01-01 03:00), "Tornado",
                "C", datetime(2020-01-01 00:00), "Hail"
            ]
            | partition hint.strategy=native by State
                (
                sort by StartTime asc
                | scan with
                (
                    step hail: EventType == "Hail";
                    step tornado: EventType == "Tornado" and StartTime - hail.StartTime <= 1h;
                    step thunderstormWind: EventType == "Thunderstorm Wind" and StartTime - tornado.StartTime <= 2h;
                )
                )
            | summarize dcount(State) by EventType
            | sort by dcount_State desc, EventType asc
            """);
        Assert.Equal(["Hail|3", "Thunderstorm Wind|1", "Tornado|1"], Rows(result));
    }

    [Fact]
    public void Scan_OutputLast_GivesTheLastRecordOfEachSeriesOfRepeatedMatches()
    {
        var result = store.Run("""
            range x from 1 to 8 step 1
            | extend e = iff(x in (3, 4, 5, 7), "b", "a")
            | scan with_match_id = m with (step s1 output=last: e == "a"; step s2 output=last: e == "b";)
            """);
        Assert.Equal(["2|a|0", "5|b|0", "6|a|1", "7|b|1", "8|a|2"], Rows(result));
    }

    [Fact]
    public void Scan_NoRows_GivesNoRows_AndARowMatchingTwoStepsIsOutputTwice()
    {
        Assert.Empty(store.Run("range x from 1 to 0 step 1 | scan with (step s: true;)").Rows);
        var twice = store.Run("range x from 1 to 3 step 1 | scan with (step a: true; step b: x > 1 and a.x > 0;)");
        Assert.Equal([1L, 2L, 2L, 3L, 3L], twice.Column("x"));
    }

    [Theory]
    [InlineData("range x from 1 to 3 step 1 | scan with (step s: s.y > 1;)", "step 's' has no column 'y'", 1, 49)]
    [InlineData("range x from 1 to 3 step 1 | scan with (step s: true; step s: true;)", "scan has two steps named 's'", 1, 55)]
    [InlineData("range x from 1 to 3 step 1 | scan with (step s: true => x = 1;)", "scan assigns only declared columns; declare 'x' first", 1, 57)]
    [InlineData("range x from 1 to 3 step 1 | scan declare (x: long) with (step s: true;)", "scan declares 'x', which is already a column", 1, 44)]
    [InlineData("range x from 1 to 3 step 1 | scan with (step s: x;)", "step 's' needs a bool expression but this is long", 1, 49)]
    [InlineData("range x from 1 to 3 step 1 | scan with (step s: true)", "expected ';' to end step 's'", 1, 53)]
    [InlineData("range x from 1 to 3 step 1 | scan with (step s output=first: true;)", "unknown step output 'first'", 1, 55)]
    [InlineData("range x from 1 to 3 step 1 | scan with ()", "scan needs at least one step", 1, 41)]
    [InlineData("range x from 1 to 3 step 1 | scan declare (t: long) with (step s: true => t = 'a';)", "step 's' assigns a string to 't', which is long", 1, 79)]
    public void Scan_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
