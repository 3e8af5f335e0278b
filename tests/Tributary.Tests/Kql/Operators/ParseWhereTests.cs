using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>parse-where (and parse's all-or-nothing typed columns), with Kusto's documented examples.</summary>
public sealed class ParseWhereTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    // Kusto's example, with the release times in ISO 8601 (Tributary's todatetime does not read 02/17/2016 08:40:01 yet).
    private const string Traces =
        "let Traces = datatable(EventText: string)[" +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=invalid_number, lockTime=02/17/2016 08:40:01, releaseTime=2016-02-17 08:40:01, previousLockTime=2016-02-17 08:39:01)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=invalid_datetime, previousLockTime=2016-02-17 08:39:00)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=20, lockTime=02/17/2016 08:40:01, releaseTime=2016-02-17 08:40:01, previousLockTime=2016-02-17 08:39:01)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01, releaseTime=2016-02-17 08:41:00, previousLockTime=2016-02-17 08:40:01)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=invalid_number, sliceNumber=16, lockTime=02/17/2016 08:41:00, releaseTime=2016-02-17 08:41:00, previousLockTime=2016-02-17 08:40:00)\"" +
        "];\n";

    private const string Pattern =
        " EventText with * \"resourceName=\" resourceName \", totalSlices=\" totalSlices: long * \"sliceNumber=\" sliceNumber: long * \"lockTime=\" lockTime " +
        "\", releaseTime=\" releaseTime: date \",\" * \"previousLockTime=\" previousLockTime: date \")\" *" +
        " | project resourceName, totalSlices, sliceNumber, lockTime, releaseTime, previousLockTime";

    private const string RegexTraces =
        "let Traces = datatable(EventText: string)[" +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=non_valid_integer, sliceNumber=11, lockTime=02/17/2016 08:40:01)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=non_valid_integer, sliceNumber=44, lockTime=02/17/2016 08:40:01)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01)\"," +
        "\"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=16, lockTime=02/17/2016 08:41:00)\"" +
        "];\n";

    [Fact]
    public void ParseWhere_Documented_KeepsOnlyTheRowsThatParse()
    {
        var result = store.Run(Traces + "Traces | parse-where" + Pattern + " | sort by sliceNumber asc");

        Assert.Equal(["PipelineScheduler", "PipelineScheduler"], result.Column("resourceName"));
        Assert.Equal([27L, 27L], result.Column("totalSlices"));
        Assert.Equal([20L, 22L], result.Column("sliceNumber"));
        Assert.Equal(["02/17/2016 08:40:01", "02/17/2016 08:41:01"], result.Column("lockTime"));
        Assert.Equal([Utc(2016, 2, 17, 8, 40, 1), Utc(2016, 2, 17, 8, 41, 0)], result.Column("releaseTime"));
        Assert.Equal([Utc(2016, 2, 17, 8, 39, 1), Utc(2016, 2, 17, 8, 40, 1)], result.Column("previousLockTime"));
    }

    [Fact]
    public void Parse_Documented_ARowWithATypedColumnThatDoesNotConvert_GetsEmptyColumns()
    {
        var result = store.Run(Traces + "Traces | parse" + Pattern);

        Assert.Equal(5, result.Rows.Count);
        var failed = result.Rows.Where(r => (string)r[0]! == "").ToList();
        Assert.Equal(3, failed.Count);
        Assert.All(failed, r => Assert.Equal(["", null, null, "", null, null], r));
        Assert.Equal([20L, 22L], result.Rows.Where(r => (string)r[0]! != "").Select(r => r[2]).Order());
    }

    [Fact]
    public void ParseWhere_Regex_Documented_IsCaseSensitive()
    {
        var result = store.Run(RegexTraces + "Traces | parse-where kind = regex EventText with * \"RESOURCENAME=\" resourceName \",\" * \"totalSlices=\" totalSlices: long \",\" * | project resourceName, totalSlices");

        Assert.Empty(result.Rows);
        Assert.Equal(["resourceName", "totalSlices"], result.Names());
    }

    [Fact]
    public void ParseWhere_RegexFlagI_Documented_IgnoresCase()
    {
        var result = store.Run(RegexTraces + "Traces | parse-where kind = regex flags=i EventText with * \"RESOURCENAME=\" resourceName \",\" * \"totalSlices=\" totalSlices: long \",\" * | project resourceName, totalSlices");

        Assert.Equal(["PipelineScheduler", "PipelineScheduler", "PipelineScheduler"], result.Column("resourceName"));
        Assert.Equal([27L, 27L, 27L], result.Column("totalSlices"));
    }

    [Fact]
    public void ParseWhere_Column_KeepsOtherColumnsAndHiddenOrder()
    {
        var result = store.Run("datatable(n:long, s:string)[3, 'k=3', 1, 'k=1', 2, 'nothing'] | sort by n asc | parse-where s with 'k=' k:long | project n, k");

        Assert.Equal([1L, 3L], result.Column("n"));
        Assert.Equal([1L, 3L], result.Column("k"));
    }

    [Fact]
    public void ParseWhere_EmptyAndNullValues_AreDropped()
    {
        var result = store.Run("datatable(s:string, d:dynamic)['a=1', dynamic(null), '', dynamic(null)] | parse-where d with 'a=' a:long | union (datatable(s:string)['a=1', ''] | parse-where s with 'a=' a:long) | project a");

        Assert.Equal([1L], result.Column("a"));
    }

    [Fact]
    public void ParseWhere_SameColumnTwice_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print s = 'a-b' | parse-where s with a '-' a"));

        Assert.Contains("extracts column 'a' twice", error.Message);
        Assert.Equal((1, 44), (error.Line, error.Column));
    }

    [Fact]
    public void ParseWhere_UnknownFlag_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print s = 'a' | parse-where kind=regex flags=x s with a"));

        Assert.Contains("unknown regex flags 'x'", error.Message);
        Assert.Equal((1, 46), (error.Line, error.Column));
    }

    [Fact]
    public void ParseWhere_FlagsWithoutRegexKind_Error()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print s = 'a' | parse-where flags=i s with a"));

        Assert.Contains("flags=… needs kind=regex", error.Message);
    }

    [Fact]
    public void ParseWhere_NoColumns_ErrorNamesTheOperator()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print s = 'a' | parse-where s with 'a'"));

        Assert.Contains("parse-where needs at least one column", error.Message);
    }

    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);
}
