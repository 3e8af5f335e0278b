using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Kql;

/// <summary>No engine text reaches the user: run-time failures are said in the query's terms, and the engine's own words go to QueryLog.</summary>
public sealed class EngineErrorTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private static readonly string[] EngineWords =
        ["Out of Range Error", "Conversion Error", "Binder Error", "Invalid Input Error", "Catalog Error", "Parser Error", "INT64", "INTERVAL", "TIMESTAMP", "VARCHAR"];

    public static TheoryData<string> FailingQueries() =>
    [
        "print 9223372036854775807 + 1",
        "print -9223372036854775807 - 2",
        "print 9223372036854775807 * 2",
        "print abs(-9223372036854775807 - 1)",
        "print datetime(9999-12-31) + 1d",
        "range x from 1 to 3 step 0",
        "range x from 1 to 3 step 0.0",
    ];

    [Theory]
    [MemberData(nameof(FailingQueries))]
    public void RunTimeFailure_IsSaidWithoutTheEnginesWords(string query)
    {
        var e = Assert.ThrowsAny<Exception>(() => store.Run(query));
        Assert.True(e is KqlException or StoreException, e.GetType().Name);
        foreach (var word in EngineWords)
        {
            Assert.DoesNotContain(word, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LongOverflow_NamesTheOperator_AndQueryLogKeepsTheEnginesWords()
    {
        var e = Assert.Throws<StoreException>(() => store.Run("print overflow = 9223372036854775807 + 1"));
        Assert.Equal("the query failed while running: a long overflowed in an addition ('+'): the sum is beyond ±9,223,372,036,854,775,807", e.Message);
        var logged = (string)store.Run("QueryLog | where Text has 'overflow =' | project Error").Single("Error")!;
        Assert.StartsWith(e.Message, logged, StringComparison.Ordinal);
        Assert.Contains("[engine: ", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void RangeStepZero_IsAQueryErrorAtTheRange()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("range x from 1\n to 3 step 0"));
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.Contains("step must not be zero", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToTimespan_TooLargeForATimespan_IsNull()
    {
        var result = store.Run("print a = totimespan('99999999.00:00:00'), b = totimespan('999999999999999999999999999d'), c = totimespan('1.02:03:04.5')");
        Assert.Null(result.Single("a"));
        Assert.Null(result.Single("b"));
        Assert.Equal(new TimeSpan(1, 2, 3, 4, 500), result.Single("c"));
    }
}
