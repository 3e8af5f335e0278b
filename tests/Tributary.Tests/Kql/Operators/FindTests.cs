using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>find, with the tables of Kusto's documented examples.</summary>
public sealed class FindTests(FindTests.Events store) : IClassFixture<FindTests.Events>
{
    private const string Session = "acbd207d-51aa-4df7-bfa7-be70eb68f04e";

    /// <summary>EventsTable1 and EventsTable2 as the documentation shows them, and two tables that disagree on a column's type.</summary>
    public sealed class Events : KqlStoreFixture
    {
        public Events()
        {
            Run(".create table EventsTable1 (Session_Id:string, Level:string, EventText:string, Version:string)");
            Run(".ingest inline into table EventsTable1 <| " +
                $"{Session},Information,Some Text1,v1.0.0\n{Session},Error,Some Text2,v1.0.0\n" +
                "28b8e46e-3c31-43cf-83cb-48921c3986fc,Error,Some Text3,v1.0.1\n8f057b11-3281-45c3-a856-05ebb18a3c59,Information,Some Text4,v1.1.0");
            Run(".create table EventsTable2 (Session_Id:string, Level:string, EventText:string, EventName:string)");
            Run(".ingest inline into table EventsTable2 <| " +
                $"f7d5f95f-f580-4ea6-830b-5776c8d64fdd,Information,Some Other Text1,Event1\n{Session},Information,Some Other Text2,Event2\n" +
                $"{Session},Error,Some Other Text3,Event3\n15eaeab5-8576-4b58-8fc6-478f75d8fee4,Error,Some Other Text4,Event4");
            Run(".create table Proc1 (Level:string, ProcessId:string)");
            Run(".ingest inline into table Proc1 <| a,1001\nb,7");
            Run(".create table Proc2 (Level:string, ProcessId:long)");
            Run(".ingest inline into table Proc2 <| c,1001\nd,8");
        }
    }

    private static List<string> Lines(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select((v, i) => result.Columns[i].Type == KqlType.Dynamic && v is not null ? QueryResultExtensions.Json(v) : QueryResultExtensions.Text(v)))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Find_ProjectWithPackAll_Documented()
    {
        var result = store.Run($"find in (EventsTable1, EventsTable2) where Session_Id == '{Session}' and Level == 'Error' project EventText, Version, EventName, pack_all()");

        Assert.Equal(["source_", "EventText", "Version", "EventName", "pack_"], result.Names());
        Assert.Equal(
            [
                $"EventsTable1|Some Text2|v1.0.0||{{\"Session_Id\":\"{Session}\",\"Level\":\"Error\"}}",
                $"EventsTable2|Some Other Text3||Event3|{{\"Session_Id\":\"{Session}\",\"Level\":\"Error\"}}",
            ],
            Lines(result));
    }

    [Fact]
    public void Find_PartsOfThePredicateApplyWhereTheirColumnsAre_Documented()
    {
        var result = store.Run("find Version == 'v1.0.0' or EventName == 'Event1' project Session_Id, EventText, Version, EventName");

        Assert.Equal(["source_", "Session_Id", "EventText", "Version", "EventName"], result.Names());
        Assert.Equal(
            [
                $"EventsTable1|{Session}|Some Text1|v1.0.0|",
                $"EventsTable1|{Session}|Some Text2|v1.0.0|",
                "EventsTable2|f7d5f95f-f580-4ea6-830b-5776c8d64fdd|Some Other Text1||Event1",
            ],
            Lines(result));
    }

    [Fact]
    public void Find_ProjectSmart_Documented_ShowsCommonColumnsAndPacksTheRest()
    {
        var result = store.Run($"find Session_Id == '{Session}'");

        Assert.Equal(["source_", "Session_Id", "Level", "EventText", "pack_"], result.Names());
        Assert.Equal(
            [
                $"EventsTable1|{Session}|Error|Some Text2|{{\"Version\":\"v1.0.0\"}}",
                $"EventsTable1|{Session}|Information|Some Text1|{{\"Version\":\"v1.0.0\"}}",
                $"EventsTable2|{Session}|Error|Some Other Text3|{{\"EventName\":\"Event3\"}}",
                $"EventsTable2|{Session}|Information|Some Other Text2|{{\"EventName\":\"Event2\"}}",
            ],
            Lines(result));
    }

    [Fact]
    public void Find_ProjectPackAllOnly_Documented_PacksEveryColumn()
    {
        var result = store.Run($"find Session_Id == '{Session}' and Level == 'Error' project pack_all()");

        Assert.Equal(["source_", "pack_"], result.Names());
        Assert.Equal(
            [
                $"EventsTable1|{{\"Session_Id\":\"{Session}\",\"Level\":\"Error\",\"EventText\":\"Some Text2\",\"Version\":\"v1.0.0\"}}",
                $"EventsTable2|{{\"Session_Id\":\"{Session}\",\"Level\":\"Error\",\"EventText\":\"Some Other Text3\",\"EventName\":\"Event3\"}}",
            ],
            Lines(result));
    }

    [Fact]
    public void Find_Term_SearchesEveryColumn_AndShowsTheColumnsEveryTableHas()
    {
        var result = store.Run("find \"Text3\"");

        Assert.Equal(["source_", "Level", "pack_"], result.Names());
        Assert.Equal(["EventsTable1", "EventsTable2"], result.Column<string>("source_").Order());
    }

    [Fact]
    public void Find_WildcardTablesAndStarHas_WithSource()
    {
        var result = store.Run("find withsource=Table in (Events*) where * has \"Event4\" project EventName");

        Assert.Equal(["Table", "EventName"], result.Names());
        Assert.Equal(["EventsTable2|Event4"], Lines(result));
    }

    [Fact]
    public void Find_QueryAsATable_IsNamedByPosition()
    {
        var result = store.Run("find in ((EventsTable1 | where Level == 'Error'), EventsTable2) where EventText has 'Text3' project EventText");

        Assert.Equal(["EventsTable2|Some Other Text3", "union_arg0|Some Text3"], Lines(result));
    }

    [Fact]
    public void Find_ColumnWithTwoTypes_SplitsIntoOneColumnPerType()
    {
        var result = store.Run("find in (Proc1, Proc2) where Level in ('a', 'c')");

        Assert.Equal(["source_", "Level", "ProcessId_string", "ProcessId_long", "pack_"], result.Names());
    }

    [Fact]
    public void Find_ProjectTypedColumn_CastsIt()
    {
        var result = store.Run("find in (Proc1, Proc2) where Level in ('a', 'c') project Level, ProcessId: string");

        Assert.Equal(["source_", "Level", "ProcessId"], result.Names());
        Assert.Equal(["Proc1|a|1001", "Proc2|c|1001"], Lines(result));
    }

    [Fact]
    public void Find_ProjectColumnWithTwoTypes_NeedsTheType()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("find in (Proc1, Proc2) where Level == 'a' project ProcessId"));

        Assert.Contains("column 'ProcessId' is string in one table and long in another", error.Message);
        Assert.Equal((1, 51), (error.Line, error.Column));
    }

    [Fact]
    public void Find_NoRows_KeepsTheColumns()
    {
        var result = store.Run("find in (EventsTable1) where Level == 'Nope' project Level, pack_all()");

        Assert.Empty(result.Rows);
        Assert.Equal(["source_", "Level", "pack_"], result.Names());
    }

    [Fact]
    public void Find_AfterPipe_Error()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("EventsTable1 | find Level == 'Error'"));

        Assert.Contains("find starts a query", error.Message);
        Assert.Equal((1, 16), (error.Line, error.Column));
    }

    [Fact]
    public void Find_InWithoutWhere_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("find in (EventsTable1) Level == 'Error'"));

        Assert.Contains("'where'", error.Message);
        Assert.Equal((1, 24), (error.Line, error.Column));
    }
}
