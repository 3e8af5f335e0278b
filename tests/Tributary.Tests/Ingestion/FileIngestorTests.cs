using Tributary.Kql.Binding;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Tests.Ingestion;

/// <summary>Component tests: real DuckDB database files in a temp directory per test.</summary>
public sealed class FileIngestorTests : IDisposable
{
    private static readonly Guid Extent = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly DateTime IngestedAt = new(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly TableSchema AllTypes = new("Events",
    [
        new KqlColumn("Name", KqlType.String),
        new KqlColumn("Count", KqlType.Int),
        new KqlColumn("Big", KqlType.Long),
        new KqlColumn("Value", KqlType.Real),
        new KqlColumn("Price", KqlType.Decimal),
        new KqlColumn("Ok", KqlType.Bool),
        new KqlColumn("Timestamp", KqlType.DateTime),
        new KqlColumn("Duration", KqlType.TimeSpan),
        new KqlColumn("Id", KqlType.Guid),
        new KqlColumn("Payload", KqlType.Dynamic),
    ]);

    private readonly string _dir;
    private readonly DuckDBConnection _connection;

    public FileIngestorTests()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tributary-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _connection = new DuckDBConnection($"Data Source={Path.Combine(_dir, "store.duckdb")}");
        _connection.Open();
        Exec("SET TimeZone='UTC'; SET autoinstall_known_extensions=false;");
    }

    public void Dispose()
    {
        _connection.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Ingest_CsvWithEveryType_StoresConvertedValues()
    {
        CreateTable(AllTypes);
        var path = Write("all.csv",
            "Name,Count,Big,Value,Price,Ok,Timestamp,Duration,Id,Payload\n" +
            "alpha,1,9000000000,1.5,12.34,true,2019-05-21T19:25:39.1234567Z,1.02:03:04.5,0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f,\"{\"\"a\"\":[1,2]}\"\n" +
            ",,,,,,,,,\n" +
            "\"with, comma\",-7,-1,nan,-0.5,0,\"Sat, 8 Nov 2014 15:05:02 GMT\",10m,{0A1B2C3D-0A1B-0A1B-0A1B-0A1B2C3D4E5F},plain text\n");

        Assert.Equal(3, Ingest(AllTypes, path, IngestFormat.Csv));

        var rows = Rows("SELECT * FROM \"Events\" ORDER BY rowid");
        Assert.Equal(3, rows.Count);
        var a = rows[0];
        Assert.Equal("alpha", a[0]);
        Assert.Equal(1, a[1]);
        Assert.Equal(9000000000L, a[2]);
        Assert.Equal(1.5, a[3]);
        Assert.Equal(12.34m, a[4]);
        Assert.Equal(true, a[5]);
        // Seven fraction digits: stored to the 100 ns tick.
        Assert.Equal(new DateTime(2019, 5, 21, 19, 25, 39).AddTicks(1_234_567).Ticks, a[6]);
        Assert.Equal(new TimeSpan(1, 2, 3, 4, 500).Ticks, a[7]);
        Assert.Equal(Guid.Parse("0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"), a[8]);
        Assert.Equal("{\"a\":[1,2]}", a[9]);
        Assert.Equal(Extent, a[10]);
        Assert.Equal(IngestedAt.Ticks, a[11]);

        var empty = rows[1];
        Assert.Equal("", empty[0]);
        Assert.All(empty.Skip(1).Take(9), Assert.Null);

        var c = rows[2];
        Assert.Equal("with, comma", c[0]);
        Assert.True(double.IsNaN((double)c[3]!));
        Assert.Equal(false, c[5]);
        Assert.Equal(new DateTime(2014, 11, 8, 15, 5, 2).Ticks, c[6]);
        Assert.Equal(TimeSpan.FromMinutes(10).Ticks, c[7]);
        Assert.Equal("\"plain text\"", c[9]);
    }

    [Fact]
    public void Ingest_JsonLines_MapsPropertiesAndKeepsNestedValuesAsJson()
    {
        CreateTable(AllTypes);
        var path = Write("all.jsonl",
            "{\"Name\":\"alpha\",\"Count\":1,\"Big\":9000000000,\"Value\":1.5,\"Price\":\"12.34\",\"Ok\":true,\"Timestamp\":\"2019-05-21T19:25:39Z\",\"Duration\":\"00:10:00\",\"Id\":\"0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f\",\"Payload\":{\"k\":[1,{\"x\":null}]},\"Extra\":5}\n" +
            "\n" +
            "{\"Name\":{\"nested\":true},\"Payload\":\"text\",\"Ok\":false}\n" +
            "{\"Payload\":[1,2,3],\"Count\":null,\"Name\":null}\n" +
            "{\"Payload\":null,\"Name\":42}\n");

        Assert.Equal(4, Ingest(AllTypes, path, IngestFormat.JsonLines));

        var rows = Rows("SELECT Name, Count, Big, Value, Price, Ok, Timestamp, Duration, Id, Payload::VARCHAR FROM \"Events\" ORDER BY rowid");
        AssertRow(["alpha", 1, 9000000000L, 1.5, 12.34m, true, new DateTime(2019, 5, 21, 19, 25, 39).Ticks, TimeSpan.FromMinutes(10).Ticks, Guid.Parse("0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"), "{\"k\":[1,{\"x\":null}]}"], rows[0]);
        Assert.Equal("{\"nested\":true}", rows[1][0]);
        Assert.Equal("\"text\"", rows[1][9]);
        Assert.Equal(false, rows[1][5]);
        Assert.Equal("", rows[2][0]);
        Assert.Null(rows[2][1]);
        Assert.Equal("[1,2,3]", rows[2][9]);
        Assert.Null(rows[3][9]);
        Assert.Equal("42", rows[3][0]);
    }

    [Fact]
    public void Ingest_JsonArray_StoresEachElement()
    {
        var table = new TableSchema("T", [new KqlColumn("a", KqlType.String), new KqlColumn("b", KqlType.Long)]);
        CreateTable(table);
        var path = Write("arr.json", "[\n  {\"a\": \"x\", \"b\": 1},\n  {\"a\": \"y\"}\n]\n");

        Assert.Equal(2, Ingest(table, path, IngestFormat.Json));
        AssertRows(Rows("SELECT a, b FROM \"T\" ORDER BY rowid"), ["x", 1L], ["y", null]);
    }

    [Fact]
    public void Ingest_JsonSingleObject_StoresOneRow()
    {
        var table = new TableSchema("T", [new KqlColumn("a", KqlType.String), new KqlColumn("d", KqlType.Dynamic)]);
        CreateTable(table);
        var path = Write("one.json", "{\n \"a\": \"x\",\n \"d\": {\"k\": 1}\n}");

        Assert.Equal(1, Ingest(table, path, IngestFormat.Json));
        AssertRows(Rows("SELECT a, d::VARCHAR FROM \"T\""), ["x", "{\"k\":1}"]);
    }

    [Fact]
    public void Ingest_Parquet_CastsColumnsToTableTypes()
    {
        CreateTable(AllTypes);
        var path = Path.Combine(_dir, "all.parquet");
        Exec("COPY (SELECT 'alpha' AS Name, 7::BIGINT AS count, '9000000000' AS Big, 1.5::FLOAT AS Value, 12.34::DECIMAL(10,2) AS Price, " +
             "true AS Ok, TIMESTAMPTZ '2019-05-21 21:25:39+02' AS \"Timestamp\", INTERVAL 90 MINUTE AS Duration, " +
             "'0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f'::UUID AS Id, {'k': [1, 2]} AS Payload, 'ignored' AS Extra " +
             $"UNION ALL SELECT '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) TO {Sql.String(path)} (FORMAT parquet)");

        Assert.Equal(2, Ingest(AllTypes, path, IngestFormat.Parquet));

        var rows = Rows("SELECT Name, Count, Big, Value, Price, Ok, Timestamp, Duration, Id, Payload::VARCHAR FROM \"Events\" ORDER BY Name DESC");
        AssertRow(["alpha", 7, 9000000000L, 1.5, 12.34m, true, new DateTime(2019, 5, 21, 19, 25, 39).Ticks, TimeSpan.FromMinutes(90).Ticks, Guid.Parse("0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"), "{\"k\":[1,2]}"], rows[0]);
        Assert.Equal("", rows[1][0]);
        Assert.All(rows[1].Skip(1), Assert.Null);
    }

    [Fact]
    public void Ingest_ParquetTextColumns_ConvertLikeCsv()
    {
        var table = new TableSchema("T", [new KqlColumn("t", KqlType.DateTime), new KqlColumn("d", KqlType.TimeSpan), new KqlColumn("j", KqlType.Dynamic)]);
        CreateTable(table);
        var path = Path.Combine(_dir, "text.parquet");
        Exec($"COPY (SELECT 'Sat, 8 Nov 2014 15:05:02 GMT' AS t, '1.5h' AS d, '{{\"a\": [1]}}' AS j) TO {Sql.String(path)} (FORMAT parquet)");

        Assert.Equal(1, Ingest(table, path, IngestFormat.Parquet));
        AssertRows(Rows("SELECT t, d, j::VARCHAR FROM \"T\""), [new DateTime(2014, 11, 8, 15, 5, 2).Ticks, TimeSpan.FromMinutes(90).Ticks, "{\"a\": [1]}"]);
    }

    [Fact]
    public void Ingest_ParquetValueOutOfRange_ThrowsNamingRow()
    {
        var table = new TableSchema("T", [new KqlColumn("n", KqlType.Int)]);
        CreateTable(table);
        var path = Path.Combine(_dir, "big.parquet");
        Exec($"COPY (SELECT * FROM (VALUES (1::BIGINT), (2), (99999999999)) v(n)) TO {Sql.String(path)} (FORMAT parquet)");

        var e = IngestFails(table, path, IngestFormat.Parquet);
        Assert.Equal("big.parquet: row 3, column 'n': '99999999999' (BIGINT in the file) cannot be stored as int", e.Message);
    }

    [Fact]
    public void Ingest_BadDateTimeOnLine5_ThrowsNamingLineAndColumnAndInsertsNothing()
    {
        var table = new TableSchema("T", [new KqlColumn("Timestamp", KqlType.DateTime), new KqlColumn("Name", KqlType.String)]);
        CreateTable(table);
        var path = Write("bad.csv",
            "Timestamp,Name\n2019-05-21,a\n2019-05-22,b\n2019-05-23,c\n2019-05-32,d\n2019-05-24,e\nnot a date,f\n");

        var e = IngestFails(table, path, IngestFormat.Csv);

        Assert.Contains("line 5", e.Message, StringComparison.Ordinal);
        Assert.Contains("column 'Timestamp'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'2019-05-32' is not a datetime", e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM \"T\""));
    }

    [Fact]
    public void Ingest_BadTimeSpan_MessageSaysWhatATimeSpanIs()
    {
        var table = new TableSchema("T", [new KqlColumn("Name", KqlType.String), new KqlColumn("Duration", KqlType.TimeSpan)]);
        CreateTable(table);
        var path = Write("d.csv", "Name,Duration\na,10m\nb,00:10:00\nc,1.5h\nd,2d\ne,100ms\nf,12 minutes\n");

        var e = IngestFails(table, path, IngestFormat.Csv);

        Assert.Equal("d.csv: line 7, column 'Duration': '12 minutes' is not a timespan ([d.]hh:mm:ss[.fffffff] or a literal like 10m)", e.Message);
    }

    [Fact]
    public void Ingest_QuotedFieldSpanningLines_ReportsPhysicalLine()
    {
        var table = new TableSchema("T", [new KqlColumn("Text", KqlType.String), new KqlColumn("N", KqlType.Int)]);
        CreateTable(table);
        var path = Write("multi.csv", "Text,N\n\"one\ntwo\nthree\",1\n\nx,2\ny,oops\n");

        var e = IngestFails(table, path, IngestFormat.Csv);

        Assert.StartsWith("multi.csv: line 7, column 'N': 'oops' is not an int", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_LongValue_IsTruncatedInMessage()
    {
        var table = new TableSchema("T", [new KqlColumn("N", KqlType.Long)]);
        CreateTable(table);
        var path = Write("long.csv", "N\n" + new string('x', 500) + "\n");

        var e = IngestFails(table, path, IngestFormat.Csv);

        Assert.Contains("'" + new string('x', 100) + "…' is not a long", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 101), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_ExtraFileColumns_AreIgnored()
    {
        var table = new TableSchema("T", [new KqlColumn("b", KqlType.Long)]);
        CreateTable(table);
        var path = Write("extra.csv", "a,b,c\nx,1,y\nz,2,w\n");

        Assert.Equal(2, Ingest(table, path, IngestFormat.Csv));
        AssertRows(Rows("SELECT b FROM \"T\" ORDER BY b"), [1L], [2L]);
    }

    [Fact]
    public void Ingest_MissingFileColumns_GetNullOrEmptyString()
    {
        var table = new TableSchema("T", [new KqlColumn("s", KqlType.String), new KqlColumn("n", KqlType.Long), new KqlColumn("d", KqlType.Dynamic), new KqlColumn("k", KqlType.Int)]);
        CreateTable(table);
        var path = Write("missing.csv", "K\n5\n");

        Assert.Equal(1, Ingest(table, path, IngestFormat.Csv));
        AssertRows(Rows("SELECT s, n, d, k FROM \"T\""), ["", null, null, 5]);
    }

    [Fact]
    public void Ingest_HeaderMatch_PrefersExactCase()
    {
        var table = new TableSchema("T", [new KqlColumn("name", KqlType.String), new KqlColumn("Value", KqlType.Long)]);
        CreateTable(table);
        var path = Write("case.csv", "NAME,name,VALUE\nupper,lower,5\n");

        Ingest(table, path, IngestFormat.Csv);
        AssertRows(Rows("SELECT name, Value FROM \"T\""), ["lower", 5L]);
    }

    [Fact]
    public void Ingest_HostileNamesAndPath_AreQuoted()
    {
        var table = new TableSchema("we\"ird'; DROP TABLE x; --", [new KqlColumn("co\"l'1", KqlType.String), new KqlColumn("x/y~z", KqlType.Long)]);
        CreateTable(table);
        var sub = Path.Combine(_dir, "it's [a] \"dir\"*?");
        Directory.CreateDirectory(sub);
        var csv = Write(Path.Combine(sub, "o'brien [1].csv"), "\"co\"\"l'1\",x/y~z\nv'1,1\n");
        var jsonl = Write(Path.Combine(sub, "o'brien [1].jsonl"), "{\"co\\\"l'1\":\"v'2\",\"x/y~z\":2}\n");
        Write(Path.Combine(sub, "o'brien 1.csv"), "\"co\"\"l'1\",x/y~z\nnot me,3\n");

        Assert.Equal(1, Ingest(table, csv, IngestFormat.Csv));
        Assert.Equal(1, Ingest(table, jsonl, IngestFormat.JsonLines));

        AssertRows(Rows($"SELECT * EXCLUDE (__extent_id, __ingestion_time) FROM {Sql.Ident(table.Name)} ORDER BY 2"), ["v'1", 1L], ["v'2", 2L]);
    }

    [Fact]
    public void Ingest_LargeFile_KeepsOrderAndFindsFirstBadLine()
    {
        var table = new TableSchema("T", [new KqlColumn("Timestamp", KqlType.DateTime), new KqlColumn("Id", KqlType.String), new KqlColumn("Value", KqlType.Real)]);
        CreateTable(table);
        var sb = new StringBuilder("Timestamp,Id,Value\n");
        const long rows = 60_000;
        for (var i = 0; i < rows; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"2024-01-01T00:00:{i % 60:00}Z,id-{i},{i}.5\n");
        }

        var good = Write("large.csv", sb.ToString());
        Assert.True(new FileInfo(good).Length > 1_000_000);
        Assert.Equal(rows, Ingest(table, good, IngestFormat.Csv));
        Assert.Equal(rows, Scalar("SELECT count(*) FROM \"T\""));

        var lines = sb.ToString().Split('\n');
        lines[45_001] = "2024-01-01T00:00:00Z,late,bad";
        lines[30_001] = "2024-01-01T00:00:00Z,early,1e";
        var bad = Write("large-bad.csv", string.Join('\n', lines));
        var e = IngestFails(table, bad, IngestFormat.Csv);
        Assert.Equal("large-bad.csv: line 30002, column 'Value': '1e' is not a real (a number like 1.5, -2e-3, nan or inf)", e.Message);
        Assert.Equal(rows, Scalar("SELECT count(*) FROM \"T\""));
    }

    [Fact]
    public void Ingest_LargeFileWithMalformedLineDeepInside_ReportsThatLine()
    {
        var table = new TableSchema("T", [new KqlColumn("Id", KqlType.String), new KqlColumn("Value", KqlType.Long)]);
        CreateTable(table);
        var sb = new StringBuilder("Id,Value\n");
        for (var i = 0; i < 80_000; i++)
        {
            var id = i == 50_000 ? "\"quoted\nid\"" : "id-" + i.ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{id},{i}\n");
        }

        var lines = sb.ToString().Split('\n');
        lines[70_000] += ",extra";
        var e = IngestFails(table, Write("deep.csv", string.Join('\n', lines)), IngestFormat.Csv);

        Assert.Equal("deep.csv: line 70001: expected 2 columns (as in the header) but found 3", e.Message);
    }

    [Fact]
    public void Ingest_CrLfLineEndings_ReportsPhysicalLine()
    {
        var table = new TableSchema("T", [new KqlColumn("Id", KqlType.String), new KqlColumn("Ok", KqlType.Bool)]);
        CreateTable(table);
        var path = Write("crlf.csv", "Id,Ok\r\na,true\r\nb, FALSE \r\nc,maybe\r\n");

        var e = IngestFails(table, path, IngestFormat.Csv);

        Assert.Equal("crlf.csv: line 4, column 'Ok': 'maybe' is not a bool (true, false, 1 or 0)", e.Message);
    }

    [Fact]
    public void Ingest_WhitespaceAroundValues_IsIgnoredButKeptInStrings()
    {
        var table = new TableSchema("T", [new KqlColumn("s", KqlType.String), new KqlColumn("n", KqlType.Int), new KqlColumn("t", KqlType.DateTime), new KqlColumn("d", KqlType.TimeSpan)]);
        CreateTable(table);
        var path = Write("ws.csv", "s,n,t,d\n a ,\t42 , 2019-05-21 ,\t10m \n");

        Assert.Equal(1, Ingest(table, path, IngestFormat.Csv));
        AssertRows(Rows("SELECT s, n, t, d FROM \"T\""), [" a ", 42, new DateTime(2019, 5, 21).Ticks, TimeSpan.FromMinutes(10).Ticks]);
    }

    [Fact]
    public void Ingest_HeaderOnly_AppendsNothing()
    {
        CreateTable(AllTypes);
        Assert.Equal(0, Ingest(AllTypes, Write("header.csv", "Name,Count\n"), IngestFormat.Csv));
        Assert.Equal(0, Ingest(AllTypes, Write("empty.csv", ""), IngestFormat.Csv));
        Assert.Equal(0, Ingest(AllTypes, Write("empty.jsonl", "\n\n"), IngestFormat.JsonLines));
        Assert.Equal(0, Ingest(AllTypes, Write("empty.json", "[]"), IngestFormat.Json));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM \"Events\""));
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,4\n5,6,7\n8,9\n", "cols.csv: line 4: expected 2 columns (as in the header) but found 3")]
    [InlineData("a,b\n1,2\n3\n", "cols.csv: line 3: expected 2 columns (as in the header) but found 1")]
    [InlineData("a,b\n1,2\n\"3,4\n5,6\n", "cols.csv: line 3: a quoted value is not closed (or has text after its closing quote)")]
    [InlineData("a,b\n\"x\ny\",2\n1,\"2\"x\n", "cols.csv: line 4: a quoted value is not closed (or has text after its closing quote)")]
    public void Ingest_MalformedCsv_ThrowsWithLineAndPlainReason(string content, string expected)
    {
        var table = new TableSchema("T", [new KqlColumn("a", KqlType.String), new KqlColumn("b", KqlType.String)]);
        CreateTable(table);

        var e = IngestFails(table, Write("cols.csv", content), IngestFormat.Csv);

        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("{\"a\":\"x\"}\n\n{\"a\": 1,\n{\"a\":2}\n", "bad.jsonl: line 3: malformed JSON")]
    [InlineData("{\"a\":\"x\"}\n[1,2]\n", "bad.jsonl: line 2: not a JSON object")]
    [InlineData("{\"a\":\"x\"}\n\"text\"\n", "bad.jsonl: line 2: not a JSON object")]
    public void Ingest_MalformedJsonLines_ThrowsWithLine(string content, string expected)
    {
        var table = new TableSchema("T", [new KqlColumn("a", KqlType.String)]);
        CreateTable(table);

        var e = IngestFails(table, Write("bad.jsonl", content), IngestFormat.JsonLines);

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Ingest_BadValueInJsonArray_ReportsElementLine()
    {
        var table = new TableSchema("T", [new KqlColumn("n", KqlType.Long)]);
        CreateTable(table);
        var path = Write("arr.json", "[\n {\"n\": 1},\n {\n  \"n\": \"two\"\n }\n]");

        var e = IngestFails(table, path, IngestFormat.Json);

        Assert.StartsWith("arr.json: line 3, column 'n': 'two' is not a long", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_MalformedJson_ThrowsWithLine()
    {
        var table = new TableSchema("T", [new KqlColumn("n", KqlType.Long)]);
        CreateTable(table);

        var e = IngestFails(table, Write("arr.json", "[\n {\"n\": 1},\n {\"n\" 2}\n]"), IngestFormat.Json);

        Assert.Equal("arr.json: line 3: malformed JSON", e.Message);
    }

    [Fact]
    public void Ingest_JsonArrayWithNonObject_ThrowsWithLine()
    {
        var table = new TableSchema("T", [new KqlColumn("n", KqlType.Long)]);
        CreateTable(table);

        var e = IngestFails(table, Write("arr.json", "[\n {\"n\": 1},\n\n 2\n]"), IngestFormat.Json);

        Assert.Equal("arr.json: line 4: not a JSON object", e.Message);
    }

    [Fact]
    public void Ingest_MissingFile_ThrowsFileNotFound()
    {
        CreateTable(AllTypes);
        var path = Path.Combine(_dir, "nope.csv");

        var e = Assert.Throws<StoreException>(() => Ingest(AllTypes, path, IngestFormat.Csv));

        Assert.Equal($"file not found: {path}", e.Message);
    }

    [Fact]
    public void Ingest_NotParquet_ThrowsPlainMessage()
    {
        CreateTable(AllTypes);
        var e = IngestFails(AllTypes, Write("fake.parquet", "not parquet at all"), IngestFormat.Parquet);
        Assert.Equal("fake.parquet: not a readable Parquet file", e.Message);
    }

    [Fact]
    public void Ingest_WithProgress_ReportsPhasesInOrder()
    {
        var table = new TableSchema("T", [new KqlColumn("a", KqlType.String)]);
        CreateTable(table);
        var path = Write("p.csv", "a\nx\ny\n");
        var phases = new List<IngestProgress>();

        Ingest(table, path, IngestFormat.Csv, new SyncProgress(phases.Add));

        Assert.Equal("reading", phases[0].Phase);
        Assert.Equal("appending", phases[^1].Phase);
        Assert.Contains(phases, p => p.Phase == "converting");
        Assert.All(phases, p => Assert.Equal(new FileInfo(path).Length, p.TotalBytes));
        Assert.Equal(phases[^1].TotalBytes, phases[^1].BytesRead);
    }

    [Fact]
    public void Ingest_CancelledToken_Throws()
    {
        var table = new TableSchema("T", [new KqlColumn("a", KqlType.String)]);
        CreateTable(table);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            FileIngestor.Ingest(_connection, table, Write("c.csv", "a\nx\n"), IngestFormat.Csv, Extent, IngestedAt, null, cts.Token));
    }

    [Theory]
    [InlineData("x.csv", IngestFormat.Csv)]
    [InlineData("x.CSV", IngestFormat.Csv)]
    [InlineData("x.jsonl", IngestFormat.JsonLines)]
    [InlineData("x.ndjson", IngestFormat.JsonLines)]
    [InlineData("x.json", IngestFormat.Json)]
    [InlineData("dir.v2/x.parquet", IngestFormat.Parquet)]
    public void FormatFromExtension_KnownExtension_ReturnsFormat(string path, IngestFormat expected) =>
        Assert.Equal(expected, FileIngestor.FormatFromExtension(path));

    [Theory]
    [InlineData("x.txt")]
    [InlineData("x")]
    public void FormatFromExtension_UnknownExtension_Throws(string path) =>
        Assert.Throws<StoreException>(() => FileIngestor.FormatFromExtension(path));

    private long Ingest(TableSchema table, string path, IngestFormat format, IProgress<IngestProgress>? progress = null)
    {
        using var tx = _connection.BeginTransaction();
        var n = FileIngestor.Ingest(_connection, table, path, format, Extent, IngestedAt, progress, CancellationToken.None);
        tx.Commit();
        return n;
    }

    private StoreException IngestFails(TableSchema table, string path, IngestFormat format)
    {
        using var tx = _connection.BeginTransaction();
        var e = Assert.Throws<StoreException>(() =>
            FileIngestor.Ingest(_connection, table, path, format, Extent, IngestedAt, null, CancellationToken.None));
        tx.Rollback();
        Assert.DoesNotContain("SELECT", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("read_", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tributary:", e.Message, StringComparison.Ordinal);
        return e;
    }

    private void CreateTable(TableSchema table)
    {
        var columns = string.Join(", ", table.Columns.Select(c => $"{Sql.Ident(c.Name)} {KqlTypes.SqlType(c.Type)}"));
        Exec($"CREATE TABLE {Sql.Ident(table.Name)} ({columns}{(columns.Length > 0 ? ", " : "")}__extent_id UUID, __ingestion_time BIGINT)");
    }

    private string Write(string name, string content)
    {
        var path = Path.IsPathRooted(name) ? name : Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private void Exec(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private List<object?[]> Rows(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static void AssertRow(object?[] expected, object?[] actual) => Assert.Equal(expected, actual);

    private static void AssertRows(List<object?[]> actual, params object?[][] expected)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    private sealed class SyncProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }
}
