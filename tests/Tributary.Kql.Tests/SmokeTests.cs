namespace Tributary.Kql.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Smoke_Builds() => Assert.True(true);
}

public sealed class HostileInputTests
{
    private sealed class EmptyCatalog : Tributary.Kql.ICatalog
    {
        public bool TryGetTable(string name, out Tributary.Kql.TableSchema table)
        {
            table = null!;
            return false;
        }

        public bool TryGetFunction(string name, out Tributary.Kql.FunctionDefinition function)
        {
            function = null!;
            return false;
        }
    }

    private static Tributary.Kql.KqlException Fails(string query) =>
        Assert.Throws<Tributary.Kql.KqlException>(() =>
            Tributary.Kql.KqlTranslator.Translate(query, new EmptyCatalog(), new Tributary.Kql.TranslationOptions(DateTime.UnixEpoch)));

    [Fact]
    public void Translate_DeeplyNestedParentheses_ErrorInsteadOfStackOverflow() =>
        Assert.Contains("nests too deeply", Fails("print x = " + new string('(', 5000) + "1" + new string(')', 5000)).Message);

    [Fact]
    public void Translate_LongOperatorChain_ErrorInsteadOfStackOverflow() =>
        Assert.Contains("too deeply nested", Fails("print x = 1" + string.Concat(Enumerable.Repeat(" + 1", 20000))).Message);

    [Fact]
    public void Translate_ManyUnaryMinus_ErrorInsteadOfStackOverflow() =>
        Assert.Contains("nests too deeply", Fails("print x = " + new string('-', 5000) + "1").Message);
}
