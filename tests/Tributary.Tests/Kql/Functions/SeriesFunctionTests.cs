using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>The element-wise series_* functions and the numbers a series reduces to, against Kusto's documented examples.</summary>
public sealed class SeriesFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Triples = "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | project s1 = pack_array(x, y, z), s2 = pack_array(z, y, x)";


    private string Json(string expression) => QueryResultExtensions.Json(store.Print(expression));

    [Theory]
    [InlineData("series_add", "[5,4,5]", "[10,8,10]", "[15,12,15]")]
    [InlineData("series_subtract", "[-3,0,3]", "[-6,0,6]", "[-9,0,9]")]
    [InlineData("series_multiply", "[4,4,4]", "[16,16,16]", "[36,36,36]")]
    [InlineData("series_divide", "[0.25,1.0,4.0]", "[0.25,1.0,4.0]", "[0.25,1.0,4.0]")]
    public void Arithmetic_MatchesKustosDocumentedExamples(string function, string row1, string row2, string row3)
    {
        var result = store.Run($"{Triples} | extend r = {function}(s1, s2)");

        Assert.Equal([row1, row2, row3], result.Column("r").Select(QueryResultExtensions.Json));
    }

    [Fact]
    public void Arithmetic_OfWholeNumbersStaysWhole_OfRealsIsReal_AndAMissingElementIsNull()
    {
        Assert.Equal("[2,3]", Json("series_add(dynamic([1, 2]), 1)"));
        Assert.Equal("[2.5,3.5]", Json("series_add(dynamic([1, 2]), 1.5)"));
        Assert.Equal("[11,12,null]", Json("series_add(10, dynamic([1, 2, null]))"));
        Assert.Equal("[2,4,null]", Json("series_multiply(dynamic([1, 2, 3]), dynamic([2, 2]))"));
        Assert.Equal("[1.0,null]", Json("series_pow(dynamic([1, 'a']), 2)"));
    }

    [Fact]
    public void Divide_ByZero_IsInfinity_AndPowMatchesTheExample()
    {
        Assert.Equal("[1.0,4.0,27.0,2.0]", Json("series_pow(dynamic([1, 2, 3, 4]), dynamic([1, 2, 3, 0.5]))"));
        Assert.Equal("[Infinity,-Infinity]", ((string)store.Print("series_divide(dynamic([2, -2]), 0)")!).Replace(" ", ""));
    }

    [Theory]
    [InlineData("series_greater", "[false,false,true]")]
    [InlineData("series_greater_equals", "[false,true,true]")]
    [InlineData("series_less", "[true,false,false]")]
    [InlineData("series_less_equals", "[true,true,false]")]
    [InlineData("series_equals", "[false,true,false]")]
    [InlineData("series_not_equals", "[true,false,true]")]
    public void Comparisons_MatchKustosDocumentedExamples(string function, string expected)
    {
        Assert.Equal(expected, Json($"{function}(dynamic([1, 2, 4]), dynamic([4, 2, 1]))"));
    }

    [Theory]
    [InlineData("series_abs(dynamic([-6.5, 0, 8.2]))", "[6.5,0.0,8.2]")]
    [InlineData("series_abs(dynamic([-6, 0, 8]))", "[6,0,8]")]
    [InlineData("series_sign(dynamic([-6, 0, 8]))", "[-1,0,1]")]
    [InlineData("series_floor(dynamic([-1.5, 1, 2.5]))", "[-2.0,1.0,2.0]")]
    [InlineData("series_ceiling(dynamic([-1.5, 1, 2.5]))", "[-1.0,1.0,3.0]")]
    [InlineData("series_log(dynamic([1, 2, 3]))", "[0.0,0.6931471805599453,1.0986122886681098]")]
    [InlineData("series_exp(dynamic([1, 2, 3]))", "[2.718281828459045,7.38905609893065,20.085536923187668]")]
    [InlineData("series_atan(dynamic([0, 1]))", "[0.0,0.7853981633974483]")]
    [InlineData("series_cos(dynamic([0]))", "[1.0]")]
    public void Unary_MatchesKustosDocumentedExamples(string expression, string expected)
    {
        Assert.Equal(expected, Json(expression));
    }

    [Fact]
    public void Unary_OutsideTheDomain_IsNaNOrInfinity_NeverAnEngineError()
    {
        var text = ((string)store.Print("pack_array(series_log(dynamic([0, -1])), series_asin(dynamic([2, null])), series_sin(series_divide(dynamic([1]), 0)))")!).Replace(" ", "");

        Assert.Equal("[[-Infinity,NaN],[NaN,null],[NaN]]", text);
    }

    [Fact]
    public void Reductions_MatchKustosDocumentedExamples()
    {
        Assert.Equal(10.0, store.Print("series_sum(dynamic([1, 2, 3, 4]))"));
        Assert.Equal(24.0, store.Print("series_product(dynamic([1, 2, 3, 4]))"));
        Assert.Equal(5.477225575051661, (double)store.Print("series_magnitude(dynamic([1, 2, 3, 4]))")!, 12);
        Assert.Equal(1.0, (double)store.Print("series_pearson_correlation(dynamic([1, 2, 3, 4, 5]), dynamic([2, 4, 6, 8, 10]))")!, 12);
        Assert.Equal(6.0, store.Print("array_sum(dynamic([1, 2, 3]))"));
    }

    [Fact]
    public void Reductions_OfEmptyOrNonArrays_FollowKusto()
    {
        Assert.Equal(0.0, store.Print("series_sum(dynamic([]))"));
        Assert.Null(store.Print("series_sum(dynamic({'a': 1}))"));
        Assert.Null(store.Print("series_dot_product(dynamic([]), dynamic([1]))"));
        Assert.Null(store.Print("series_pearson_correlation(dynamic([1, 2]), dynamic([1, 2, 3]))"));
        Assert.Null(store.Print("series_pearson_correlation(dynamic([1, 2, 'x']), dynamic([1, 2, 3]))"));
    }

    [Fact]
    public void DotProduct_MatchesKustosDocumentedExamples_WithAnArrayOrANumber()
    {
        Assert.Equal([12.0, 48.0, 108.0], store.Run($"{Triples} | extend r = series_dot_product(s1, s2)").Column("r"));
        var scalar = store.Run("range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | project s1 = pack_array(x, y, z), s2 = x | extend r = series_dot_product(s1, s2)");
        Assert.Equal([7.0, 28.0, 63.0], scalar.Column("r"));
        Assert.Equal(5.0, store.Print("series_dot_product(dynamic([1, 2, 3]), dynamic([1, 2]))"));
    }

    [Fact]
    public void CosineSimilarity_MatchesKustosDocumentedExamples()
    {
        Assert.Equal(0.99935343825504, (double)store.Print("series_cosine_similarity(dynamic([0.1, 0.2, 0.1, 0.2]), dynamic([0.11, 0.2, 0.11, 0.21]))")!, 12);
        Assert.Equal(0.923760430703401, (double)store.Print("series_cosine_similarity(dynamic([0.1, 0.2, 0.1, 0.2]), dynamic([1, 2, 3, 4]))")!, 12);
        Assert.Equal(0.5, (double)store.Print("series_cosine_similarity(dynamic([1, 0]), dynamic([1, 0]), 2.0, 1.0)")!, 12);
    }

    [Fact]
    public void ElementWise_OverMakeSeriesColumns_StaysAList()
    {
        var result = store.Run("""
            range i from 0 to 5 step 1
            | extend T = datetime(2024-01-01) + i * 1h, v = i * 10
            | make-series s = sum(v), c = count() on T from datetime(2024-01-01) to datetime(2024-01-01 06:00) step 2h
            | extend ratio = series_divide(s, c), bigger = series_greater(s, 30), total = series_sum(s)
            """);

        Assert.Equal("[5.0,25.0,45.0]", QueryResultExtensions.Json(result.Single("ratio")));
        Assert.Equal("[false,true,true]", QueryResultExtensions.Json(result.Single("bigger")));
        Assert.Equal(150.0, result.Single("total"));
    }

    [Fact]
    public void BadArguments_AreErrorsAtTheArgument()
    {
        var notArray = Assert.Throws<KqlException>(() => store.Run("print series_abs('x')"));
        Assert.Contains("series_abs() expects a dynamic array of numbers, not string", notArray.Message, StringComparison.Ordinal);
        Assert.Equal((1, 18), (notArray.Line, notArray.Column));

        var twoNumbers = Assert.Throws<KqlException>(() => store.Run("print series_add(1, 2)"));
        Assert.Contains("needs at least one dynamic array", twoNumbers.Message, StringComparison.Ordinal);

        var dates = Assert.Throws<KqlException>(() => store.Run("print T = datetime(2024-01-01) | make-series c = count() on T step 1h | extend s = series_sum(T)"));
        Assert.Contains("not an array of datetime", dates.Message, StringComparison.Ordinal);
    }
}
