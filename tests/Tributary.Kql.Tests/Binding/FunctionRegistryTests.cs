using System.Text.RegularExpressions;
using Tributary.Kql.Binding.Functions;
using Tributary.Kql.Tests.Translation;
using KqlTranslation = Tributary.Kql.Translation;

namespace Tributary.Kql.Tests.Binding;

public sealed partial class FunctionRegistryTests
{
    private static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    /// <summary>Every entry, as (kind, name): a name may be both a scalar function and an aggregate (tdigest_merge).</summary>
    public static TheoryData<string, string> FunctionNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in FunctionRegistry.Scalars)
        {
            data.Add("scalar", f.Name);
        }

        foreach (var f in FunctionRegistry.Aggregates)
        {
            data.Add("aggregate", f.Name);
        }

        return data;
    }

    public static TheoryData<string> ScalarNamesTakingArguments()
    {
        var data = new TheoryData<string>();
        foreach (var f in FunctionRegistry.Scalars.Where(f => f.Arity.Min > 0))
        {
            data.Add(f.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void Signature_NamesTheFunctionAndAgreesWithItsArity(string kind, string name)
    {
        BuiltInFunction f = kind == "scalar" ? Scalar(name) : Aggregate(name);
        Assert.StartsWith(name + "(", f.Signature, StringComparison.Ordinal);
        Assert.Equal(f.Arity, SignatureArity(f.Signature));
        Assert.Matches(@"^[A-Z\d""].*\.$", f.Summary);
        Assert.DoesNotContain('\n', f.Summary);
    }

    [Theory]
    [MemberData(nameof(ScalarNamesTakingArguments))]
    public void Call_WithTooFewArguments_NamesTheCountsAccepted(string name)
    {
        var f = Find(name);
        var args = string.Join(", ", Enumerable.Repeat("1", f.Arity.Min - 1));
        var e = Assert.Throws<KqlException>(() => Translate($"print x = {name}({args})"));
        Assert.Contains($"function '{name}' takes {f.Arity.Describe()} argument(s) but was given {f.Arity.Min - 1}", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_WithTooManyArguments_NamesTheCountsAccepted()
    {
        var e = Assert.Throws<KqlException>(() => Translate("Events | summarize sum(Cpu, 1)"));
        Assert.Contains("aggregate 'sum' takes 1 argument(s) but was given 2", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Events | extend x = tolowr(Host)", "tolower")]
    [InlineData("Events | extend x = startofmonht(Timestamp)", "startofmonth")]
    [InlineData("Events | summarize dcont(Host)", "dcount")]
    [InlineData("Events | summarize make_lst(Host)", "make_list")]
    [InlineData("print x = toboolen('true')", "toboolean")]
    public void UnknownFunction_SuggestsANameFromTheRegistry(string query, string suggestion)
    {
        var e = Assert.Throws<KqlException>(() => Translate(query));
        Assert.Contains($"did you mean '{suggestion}'?", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorBindings_AreNotSuggested() =>
        Assert.DoesNotContain("has_any", FunctionRegistry.CallableNames);

    [Fact]
    public void Alias_BindsAsItsFunctionAndIsQuotedAsWritten()
    {
        Assert.True(FunctionRegistry.TryGetScalar("iif", out var iif));
        Assert.Equal("iff", iif.Name);
        var e = Assert.Throws<KqlException>(() => Translate("print x = iif(1, 2, 3)"));
        Assert.Contains("iif needs a bool expression", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, "1")]
    [InlineData(1, 3, "1 to 3")]
    [InlineData(2, null, "2 or more")]
    public void Arity_Describe_SaysTheCounts(int min, int? max, string expected) =>
        Assert.Equal(expected, new Arity(min, max).Describe());

    /// <summary>
    /// The arity a signature shows: named parameters outside brackets are required, inside brackets optional, and
    /// "..." means no upper limit.
    /// </summary>
    private static Arity SignatureArity(string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var depth = 0;
        var close = open;
        for (var i = open; i < signature.Length; i++)
        {
            depth += signature[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                close = i;
                break;
            }
        }

        var parameters = signature[(open + 1)..close];
        int required = 0, optional = 0, brackets = 0, from = 0;
        foreach (Match m in ParameterName().Matches(parameters))
        {
            brackets += parameters[from..m.Index].Count(c => c == '[') - parameters[from..m.Index].Count(c => c == ']');
            from = m.Index;
            if (brackets > 0)
            {
                optional++;
            }
            else
            {
                required++;
            }
        }

        return parameters.Contains("...", StringComparison.Ordinal) ? Arity.AtLeast(required) : Arity.Between(required, required + optional);
    }

    private static ScalarFunction Scalar(string name) => FunctionRegistry.TryGetScalar(name, out var f) ? f : throw new ArgumentException(name);

    private static AggregateFunction Aggregate(string name) => FunctionRegistry.TryGetAggregate(name, out var f) ? f : throw new ArgumentException(name);

    private static BuiltInFunction Find(string name) =>
        FunctionRegistry.TryGetScalar(name, out var scalar) ? scalar
        : FunctionRegistry.TryGetAggregate(name, out var aggregate) ? aggregate
        : throw new ArgumentException(name);

    private static KqlTranslation Translate(string query) => KqlTranslator.Translate(query, TestCatalog.Default, new TranslationOptions(Now, null));

    [GeneratedRegex(@"[A-Za-z_]\w*\s*:")]
    private static partial Regex ParameterName();
}
