namespace Tributary.Kql.Tests.Translation;

/// <summary>Queries with several result tables (fork, facet): a translation each, only where the caller takes them.</summary>
public sealed class SeveralTablesTests
{
    private static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    [Fact]
    public void Fork_WhenSeveralTablesAreTaken_GivesATranslationPerBranch()
    {
        var translation = KqlTranslator.Translate("Events | fork (count) Hot = (where Cpu > 0.9 | project Host)", TestCatalog.Default, new TranslationOptions(Now) { SeveralTables = true });
        Assert.Equal([new KqlColumn("Count", KqlType.Long)], translation.Columns);
        var hot = Assert.Single(translation.MoreTables);
        Assert.Equal(("Hot", "Host"), (hot.Name, hot.Columns.Single().Name));
        Assert.StartsWith("SELECT ", hot.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Facet_WhenSeveralTablesAreNotTaken_IsRefused()
    {
        var e = Assert.Throws<KqlException>(() => KqlTranslator.Translate("Events | facet by Region, Host", TestCatalog.Default, new TranslationOptions(Now)));
        Assert.Equal("facet gives several result tables, which only a query run on its own can return (not a job, a view or .set-or-append)", e.Reason);
        Assert.Equal((1, 10), (e.Line, e.Column));
    }
}
