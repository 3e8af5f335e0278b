using System.Text.Json;
using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Tests.Query;

public sealed class ResultWriterTests
{
    private static readonly DateTime Start = new(2019, 5, 21, 19, 25, 39, DateTimeKind.Utc);

    private static QueryResult Sample() => new(
        [new("Name", KqlType.String), new("Count", KqlType.Long), new("Ratio", KqlType.Real), new("At", KqlType.DateTime), new("Took", KqlType.TimeSpan)],
        [
            ["alpha", 5L, 0.5, Start, TimeSpan.FromMinutes(10)],
            ["b", 12345L, null, null, TimeSpan.FromSeconds(-1)],
        ]);

    [Fact]
    public void Table_AlignsColumns_NumbersRight()
    {
        var text = Write(Sample(), OutputFormat.Table);

        Assert.Equal(
            """
            Name   Count  Ratio  At                                         Took
            -----  -----  -----  ----------------------------  -----------------
            alpha      5    0.5  2019-05-21T19:25:39.0000000Z   00:10:00.0000000
            b      12345                                       -00:00:01.0000000
            (2 rows)

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void SeveralTables_AreWrittenOneAfterAnother_UnderTheirNames()
    {
        var result = new QueryResult([new("N", KqlType.Long)], [[1L]]) { Name = "first", MoreTables = [new QueryResult([new("S", KqlType.String)], [["x"]])] };

        Assert.Equal("[first]\nN\n-\n1\n(1 rows)\n\n[table 2]\nS\n-\nx\n(1 rows)\n", Write(result, OutputFormat.Table));
        Assert.Equal("[first]\r\nN\r\n1\r\n\r\n[table 2]\r\nS\r\nx\r\n", Write(result, OutputFormat.Csv));
        var json = Write(result, OutputFormat.Json);
        Assert.Equal(2, json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith('[')));
    }

    [Fact]
    public void SeveralTables_TravelInTheWireJson()
    {
        var result = new QueryResult([new("N", KqlType.Long)], [[1L]]) { MoreTables = [new QueryResult([new("S", KqlType.String)], [["x"]]) { Name = "second" }] };
        var json = JsonSerializer.Serialize(result, Tributary.Operations.WireJson.Options);
        var back = JsonSerializer.Deserialize<QueryResult>(json, Tributary.Operations.WireJson.Options)!;

        Assert.Null(back.Name);
        Assert.Equal([1L], back.Rows.Select(r => r[0]));
        var second = Assert.Single(back.MoreTables);
        Assert.Equal(("second", "S", "x"), (second.Name, second.Columns[0].Name, second.Rows[0][0]));
    }

    [Fact]
    public void WriteTable_MoreRowsThanShown_LastLineSaysHowManyOfHowMany()
    {
        var result = new QueryResult([new("N", KqlType.Long)], Enumerable.Range(1, 14).Select(i => new object?[] { (long)i }).ToList());
        using var writer = new StringWriter { NewLine = "\n" };
        ResultWriter.WriteTable(result, writer, 12);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2 + 12 + 1, lines.Length);
        Assert.Equal("12", lines[^2].Trim());
        Assert.Equal("(showing 12 of 14 rows)", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains("(12 rows)", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteTable_AllRowsFit_LastLineIsTheCount()
    {
        using var writer = new StringWriter { NewLine = "\n" };
        ResultWriter.WriteTable(Sample(), writer, 12);
        Assert.Equal(Write(Sample(), OutputFormat.Table), writer.ToString());
    }

    [Fact]
    public void Table_ZeroRows_PrintsHeaderAndCount()
    {
        var result = new QueryResult([new("Name", KqlType.String), new("N", KqlType.Int)], []);

        Assert.Equal("Name  N\n----  -\n(0 rows)\n", Write(result, OutputFormat.Table));
    }

    [Fact]
    public void Table_NoColumns_PrintsCountOnly() =>
        Assert.Equal("(0 rows)\n", Write(QueryResult.Empty, OutputFormat.Table));

    [Fact]
    public void Table_ControlCharacters_AreVisibleEscapes()
    {
        var hostile = "a\nb\tc\r\u001b[31mred\u0007\u0000\u009b2J\u202Eevil\u007F";
        var result = new QueryResult([new("V", KqlType.String)], [[hostile]]);

        var text = Write(result, OutputFormat.Table);

        Assert.Contains(@"a\nb\tc\r\e[31mred\x07\x00\x9B2J\u202Eevil\x7F", text, StringComparison.Ordinal);
        Assert.Equal(4, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(text, ch => ch != '\n' && (char.IsControl(ch) || ch == '\u202E'));
    }

    [Fact]
    public void Table_HostileColumnName_IsEscaped()
    {
        var result = new QueryResult([new("x\u001b]0;pwned\u0007", KqlType.String)], [["v"]]);

        var text = Write(result, OutputFormat.Table);

        Assert.StartsWith(@"x\e]0;pwned\x07", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void Table_LongCell_IsTruncatedWithEllipsis()
    {
        var result = new QueryResult([new("V", KqlType.String)], [[new string('x', 500)], ["short"]]);

        var lines = Write(result, OutputFormat.Table).Split('\n');

        Assert.Equal(new string('x', 199) + "…", lines[2]);
        Assert.Equal(200, lines[1].Length);
        Assert.Equal("short", lines[3]);
    }

    [Fact]
    public void Table_TruncationKeepsSurrogatePairsWhole()
    {
        var result = new QueryResult([new("V", KqlType.String)], [["a" + string.Concat(Enumerable.Repeat("😀", 150))]]);

        var cell = Write(result, OutputFormat.Table).Split('\n')[2];

        Assert.Equal("a" + string.Concat(Enumerable.Repeat("😀", 99)) + "…", cell);
    }

    [Fact]
    public void Table_WideCharacters_StayAligned()
    {
        var result = new QueryResult([new("Name", KqlType.String), new("N", KqlType.Int)], [["東京", 1], ["Paris", 2]]);

        var lines = Write(result, OutputFormat.Table).Split('\n');

        Assert.Equal("東京   1", lines[2]);
        Assert.Equal("Paris  2", lines[3]);
    }

    [Fact]
    public void Table_TrailingSpaces_AreTrimmed()
    {
        var result = new QueryResult([new("N", KqlType.Int), new("Name", KqlType.String)], [[1, "a"], [2, "longer"]]);

        var lines = Write(result, OutputFormat.Table).Split('\n');

        Assert.Equal("1  a", lines[2]);
        Assert.All(lines, line => Assert.False(line.EndsWith(' '), line));
    }

    [Fact]
    public void Csv_WritesHeaderAndRowsWithCrlf()
    {
        Assert.Equal(
            "Name,Count,Ratio,At,Took\r\n" +
            "alpha,5,0.5,2019-05-21T19:25:39.0000000Z,00:10:00.0000000\r\n" +
            "b,12345,,,-00:00:01.0000000\r\n",
            Write(Sample(), OutputFormat.Csv));
    }

    [Fact]
    public void Csv_QuotesFieldsThatNeedIt()
    {
        var result = new QueryResult(
            [new("a,b", KqlType.String), new("V", KqlType.String)],
            [["x,y", "say \"hi\""], ["line\nbreak", "cr\rhere"], ["plain", "tab\tok"]]);

        Assert.Equal(
            "\"a,b\",V\r\n" +
            "\"x,y\",\"say \"\"hi\"\"\"\r\n" +
            "\"line\nbreak\",\"cr\rhere\"\r\n" +
            "plain,tab\tok\r\n",
            Write(result, OutputFormat.Csv));
    }

    [Fact]
    public void Csv_DynamicJson_IsQuoted()
    {
        var result = new QueryResult([new("D", KqlType.Dynamic)], [["{\"a\":1,\"b\":\"x\"}"]]);

        Assert.Equal("D\r\n\"{\"\"a\"\":1,\"\"b\"\":\"\"x\"\"}\"\r\n", Write(result, OutputFormat.Csv));
    }

    [Fact]
    public void Csv_NoColumns_IsEmpty() => Assert.Equal("", Write(QueryResult.Empty, OutputFormat.Csv));

    [Fact]
    public void Json_WritesArrayOfTypedObjects()
    {
        var result = new QueryResult(
            [new("S", KqlType.String), new("L", KqlType.Long), new("R", KqlType.Real), new("B", KqlType.Bool), new("T", KqlType.DateTime), new("D", KqlType.Dynamic), new("G", KqlType.Guid)],
            [
                ["x", 1L, 2.5, true, Start, "{\"k\":[1,2]}", Guid.Parse("74be27de-1e4e-49d9-b579-fe0b331d3642")],
                ["", null, null, null, null, null, null],
            ]);

        using var document = JsonDocument.Parse(Write(result, OutputFormat.Json));
        var rows = document.RootElement;

        Assert.Equal(JsonValueKind.Array, rows.ValueKind);
        Assert.Equal(2, rows.GetArrayLength());
        var first = rows[0];
        Assert.Equal("x", first.GetProperty("S").GetString());
        Assert.Equal(1, first.GetProperty("L").GetInt64());
        Assert.Equal(2.5, first.GetProperty("R").GetDouble());
        Assert.True(first.GetProperty("B").GetBoolean());
        Assert.Equal("2019-05-21T19:25:39.0000000Z", first.GetProperty("T").GetString());
        Assert.Equal(2, first.GetProperty("D").GetProperty("k").GetArrayLength());
        Assert.Equal("74be27de-1e4e-49d9-b579-fe0b331d3642", first.GetProperty("G").GetString());
        Assert.All(rows[1].EnumerateObject().Skip(1), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
    }

    [Fact]
    public void Json_IsIndentedAndKeepsNonAsciiReadable()
    {
        var result = new QueryResult([new("City", KqlType.String)], [["Zürich 東京"]]);

        Assert.Equal("[\n  {\n    \"City\": \"Zürich 東京\"\n  }\n]\n", Write(result, OutputFormat.Json));
    }

    [Fact]
    public void Json_EscapesControlCharacters()
    {
        var result = new QueryResult([new("V", KqlType.String)], [["a\u001b[31m\nb"]]);

        var text = Write(result, OutputFormat.Json);

        Assert.DoesNotContain('\u001b', text);
        using var document = JsonDocument.Parse(text);
        Assert.Equal("a\u001b[31m\nb", document.RootElement[0].GetProperty("V").GetString());
    }

    [Fact]
    public void Json_NoRows_IsEmptyArray() =>
        Assert.Equal("[]\n", Write(new QueryResult([new("A", KqlType.Int)], []), OutputFormat.Json));

    [Fact]
    public void Json_LargeResult_IsCompleteAndValid()
    {
        var rows = Enumerable.Range(0, 5000).Select(i => new object?[] { i, "row " + i }).ToList();
        var result = new QueryResult([new("I", KqlType.Int), new("S", KqlType.String)], rows);

        using var document = JsonDocument.Parse(Write(result, OutputFormat.Json));

        Assert.Equal(5000, document.RootElement.GetArrayLength());
        Assert.Equal("row 4999", document.RootElement[4999].GetProperty("S").GetString());
    }

    [Fact]
    public void Write_UnknownFormat_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultWriter.Write(Sample(), (OutputFormat)42, new StringWriter()));

    private static string Write(QueryResult result, OutputFormat format)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        ResultWriter.Write(result, format, writer);
        return writer.ToString();
    }
}
