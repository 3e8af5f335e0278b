using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>invoke against the example of Kusto's documentation, with let and stored functions, and its errors.</summary>
public sealed class InvokeTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Fact]
    public void Invoke_LetFunction_GetsTheRowsAsItsFirstArgument()
    {
        var result = store.Run("""
            let clipped_average = (T:(x: long), lowPercentile:double, upPercentile:double)
            {
               let high = toscalar(T | summarize percentiles(x, upPercentile));
               let low = toscalar(T | summarize percentiles(x, lowPercentile));
               T
               | where x > low and x < high
               | summarize avg(x)
            };
            range x from 1 to 100 step 1
            | invoke clipped_average(5, 99)
            """);
        Assert.Equal(52.0, result.Single("avg_x"));
    }

    [Fact]
    public void Invoke_FunctionWithADefault_TakesFewerArguments()
    {
        const string Above = "let AboveLimit = (T:(x:long), limit:long = 7) { T | where x > limit };";
        Assert.Equal(3L, store.Run(Above + "range x from 1 to 10 step 1 | invoke AboveLimit() | count").Single("Count"));
        Assert.Equal(1L, store.Run(Above + "range x from 1 to 10 step 1 | invoke AboveLimit(9) | count").Single("Count"));
    }

    [Fact]
    public void Invoke_StoredFunctionWithoutATableParameter_IsAnError()
    {
        store.Run(".create-or-alter function Numbers(n:long) { range x from 1 to n step 1 }");
        var e = Assert.Throws<KqlException>(() => store.Run("print a = 1 | invoke Numbers(3)"));
        Assert.Contains("invoke needs a function whose first parameter is a table, but 'Numbers' takes (n:long)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_TableWithoutTheDeclaredColumns_IsAnError()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("let f = (T:(x:long)) { T }; print y = 1 | invoke f()"));
        Assert.Contains("the table given for parameter 'T' of 'f' has no column 'x' (f declares T:(x:long))", e.Message, StringComparison.Ordinal);
        Assert.Equal(1L, store.Run("let f = (T:(x:long)) { T | count }; print x = 1 | invoke f()").Single("Count"));
    }

    [Theory]
    [InlineData("let f = (a:long) { print a }; print x = 1 | invoke f()", "invoke needs a function whose first parameter is a table", 1, 52)]
    [InlineData("let f = (T:(*)) { T }; print x = 1 | invoke g()", "unknown function 'g'", 1, 45)]
    [InlineData("let f = (T:(*)) { T }; print x = 1 | invoke f(1)", "function 'f' takes 0 argument(s) but was given 1", 1, 45)]
    [InlineData("print x = 1 | invoke f", "expected '(' and the arguments of 'f'", 1, 23)]
    public void Invoke_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
