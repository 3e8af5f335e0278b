namespace Tributary.Kql.Tests.Translation;

/// <summary>externaldata's translation: which locations are refused before anything is read, and its errors' positions.</summary>
public sealed class ExternalDataTranslationTests
{
    private static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    private static Kql.Translation Translate(string query, IExternalDataResolver? resolver = null) =>
        KqlTranslator.Translate(query, TestCatalog.Default, new TranslationOptions(Now) { ExternalData = resolver ?? TestExternalData.Instance });

    private static KqlException Fails(string query, IExternalDataResolver? resolver = null) =>
        Assert.Throws<KqlException>(() => Translate(query, resolver));

    [Fact]
    public void ExternalData_LocalPath_ReadsTheResolvedFile()
    {
        var translation = Translate("externaldata (a: long, b: string) [@\"in/file.csv\"] with (ignoreFirstRecord=true)");

        Assert.Contains("read_csv(['/data/in/file.csv']", translation.Sql);
        Assert.Contains("skip=1", translation.Sql);
        Assert.Equal([new KqlColumn("a", KqlType.Long), new KqlColumn("b", KqlType.String)], translation.Columns);
    }

    [Fact]
    public void ExternalData_FileUrl_IsALocalPath() =>
        Assert.Contains("'/data/x.json'", Translate("externaldata (a: long) ['file:///data/x.json']").Sql);

    [Theory]
    [InlineData("https://storage.example.com/users.txt", "not https:// locations")]
    [InlineData("http://example.com/x.csv", "not http:// locations")]
    [InlineData("abfss://fs@account.dfs.core.windows.net/x.csv;impersonate", "not abfss:// locations")]
    public void ExternalData_RemoteLocation_IsRefused(string location, string message)
    {
        var e = Fails($"externaldata (a: string) [\n  '{location}']");

        Assert.Contains("externaldata reads local files only", e.Message);
        Assert.Contains(message, e.Message);
        Assert.Equal((2, 3), (e.Line, e.Column));
    }

    [Fact]
    public void ExternalData_PathTheResolverRefuses_ErrorWithItsReason()
    {
        var e = Fails("externaldata (a: string) ['/etc/passwd']");

        Assert.Contains("externaldata cannot read '/etc/passwd': it is outside /data", e.Message);
        Assert.Equal((1, 27), (e.Line, e.Column));
    }

    [Fact]
    public void ExternalData_WithoutAResolver_IsRefused()
    {
        var e = Assert.Throws<KqlException>(() => KqlTranslator.Translate("externaldata (a: string) ['x.csv']", TestCatalog.Default, new TranslationOptions(Now)));

        Assert.Contains("externaldata is not available here", e.Message);
        Assert.Equal((1, 1), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("*.csv")]
    [InlineData("a?.csv")]
    [InlineData("[ab].csv")]
    public void ExternalData_GlobCharacters_AreRefused(string path) =>
        Assert.Contains("names one file", Fails($"externaldata (a: string) ['{path}']").Message);

    [Fact]
    public void ExternalData_NotAConstant_ErrorWithPosition()
    {
        var e = Fails("externaldata (a: string) [strcat('a', now())]");

        Assert.Contains("an externaldata location is a constant string", e.Message);
    }

    [Fact]
    public void ExternalData_QueryParameter_IsAConstant() =>
        Assert.Contains("'/data/p.txt'", Translate("declare query_parameters(U: string = 'p.txt'); externaldata (a: string) [U]").Sql);

    [Theory]
    [InlineData("x.tsv", "delim='\t'")]
    [InlineData("x.txt", "read_text(")]
    [InlineData("x.json", "format='newline_delimited'")]
    [InlineData("x.csv.gz", "delim=','")]
    [InlineData("x.parquet", "read_parquet(")]
    [InlineData("x.dat", "delim=','")]
    public void ExternalData_FormatFromTheExtension(string file, string sql) =>
        Assert.Contains(sql, Translate($"externaldata (a: string) ['{file}']").Sql);

    [Fact]
    public void ExternalData_FormatProperty_WinsOverTheExtension() =>
        Assert.Contains("format='auto'", Translate("externaldata (a: string) ['x.csv'] with (format='multijson')").Sql);

    [Fact]
    public void ExternalData_UnknownFormat_ErrorWithPosition()
    {
        var e = Fails("externaldata (a: string) ['x.csv'] with (format='avro')");

        Assert.Contains("unknown externaldata format", e.Message);
        Assert.Equal((1, 49), (e.Line, e.Column));
    }

    [Fact]
    public void ExternalData_IngestionMapping_IsRefused()
    {
        var e = Fails("externaldata (a: string) ['x.json'] with (ingestionMapping='[]')");

        Assert.Contains("ingestionMapping is not supported", e.Message);
        Assert.Equal((1, 43), (e.Line, e.Column));
    }

    [Fact]
    public void ExternalData_IgnoreFirstRecordOnJson_IsRefused() =>
        Assert.Contains("ignoreFirstRecord applies to", Fails("externaldata (a: string) ['x.json'] with (ignoreFirstRecord=true)").Message);

    [Fact]
    public void ExternalData_AfterAPipe_IsRefused() =>
        Assert.Contains("externaldata starts a query", Fails("Events | externaldata (a: string) ['x.csv']").Message);

    [Fact]
    public void ExternalData_InLetAndIn_IsATabularExpression() =>
        Assert.Contains("read_text(", Translate("let users = externaldata (UserID: string) ['users.txt']; Events | where Host in (users)").Sql);

    [Fact]
    public void ExternalData_ColumnTwice_ErrorWithPosition()
    {
        var e = Fails("externaldata (a: string, a: long) ['x.csv']");

        Assert.Contains("externaldata names column 'a' twice", e.Message);
        Assert.Equal((1, 26), (e.Line, e.Column));
    }
}
