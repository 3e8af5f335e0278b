using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>String functions against the examples of Kusto's documentation.</summary>
public sealed class StringFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("reverse('ABCDEFGHIJKLMNOPQRSTUVWXYZ')", "ZYXWVUTSRQPONMLKJIHGFEDCBA")]
    [InlineData("reverse(12345)", "54321")]
    [InlineData("reverse(123.45)", "54.321")]
    [InlineData("reverse(datetime(2017-10-15 12:00))", "Z0000000.00:00:21T51-01-7102")]
    [InlineData("reverse(3h)", "00:00:30")]
    [InlineData("strrep('ABC', 2)", "ABCABC")]
    [InlineData("strrep(123, 3, '.')", "123.123.123")]
    [InlineData("strrep(3s, 2, ' ')", "00:00:03 00:00:03")]
    [InlineData("translate('abc', 'x', 'abc')", "xxx")]
    [InlineData("translate('abc', '', 'ab')", "")]
    [InlineData("translate('krasp', 'otsku', 'spark')", "kusto")]
    [InlineData("regex_quote('(so$me.Te^xt)')", @"\(so\$me\.Te\^xt\)")]
    [InlineData("unicode_codepoints_to_string(75, 117, 115, 116, 111)", "Kusto")]
    [InlineData("unicode_codepoints_to_string(dynamic([75, 117, 115, 116, 111]))", "Kusto")]
    [InlineData("unicode_codepoints_to_string(dynamic([75, 117, 115]), 116, 111)", "Kusto")]
    [InlineData("unicode_codepoints_to_string(75, 10, 117, 10, 115, 10, 116, 10, 111)", "K\nu\ns\nt\no")]
    [InlineData("unicode_codepoints_to_string(range(48, 57), range(65, 90), range(97, 122))", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")]
    [InlineData("unicode_codepoints_to_string(unicode_codepoints_from_string('Kusto'))", "Kusto")]
    [InlineData("make_string(128512)", "😀")]
    [InlineData("format_bytes(564)", "564 Bytes")]
    [InlineData("format_bytes(10332, 1)", "10.1 KB")]
    [InlineData("format_bytes(20010332)", "19 MB")]
    [InlineData("format_bytes(20010332, 2)", "19.08 MB")]
    [InlineData("format_bytes(20010332, 0, 'KB')", "19541 KB")]
    [InlineData("format_bytes(0)", "0 Bytes")]
    [InlineData("format_bytes(1024)", "1 KB")]
    public void Function_MatchesKustosDocumentedExample(string expression, string expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("strcmp('ABC', 'ABC')", 0L)]
    [InlineData("strcmp('abc', 'ABC')", 1L)]
    [InlineData("strcmp('ABC', 'abc')", -1L)]
    [InlineData("strcmp('abcde', 'abc')", 1L)]
    [InlineData("string_size('hello')", 5L)]
    [InlineData("string_size('⒦⒰⒮⒯⒪')", 15L)]
    public void Function_MatchesKustosDocumentedNumber(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("isascii('some string')", true)]
    [InlineData("isascii('⒦')", false)]
    [InlineData("isascii('')", true)]
    [InlineData("isutf8('some string')", true)]
    [InlineData("isutf8('⒦⒰⒮⒯⒪')", true)]
    public void TypeCheck_AnswersForTheText(string expression, bool expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("unicode_codepoints_from_string('⒦⒰⒮⒯⒪')", "[9382,9392,9390,9391,9386]")]
    [InlineData("unicode_codepoints_from_string('קוסטו - Kusto')", "[1511,1493,1505,1496,1493,32,45,32,75,117,115,116,111]")]
    [InlineData("to_utf8('😀a')", "[128512,97]")]
    [InlineData("unicode_codepoints_from_string('')", "[]")]
    public void CodepointsFromString_GivesAnArrayOfLongs(string expression, string expected)
    {
        Assert.Equal(expected, Json(store.Print(expression)));
    }

    [Theory]
    [InlineData("unicode_codepoints_to_string(55296)")]
    [InlineData("unicode_codepoints_to_string(-1)")]
    [InlineData("unicode_codepoints_to_string(1114112)")]
    [InlineData("unicode_codepoints_to_string(dynamic(['a']))")]
    [InlineData("strrep('x', 0)")]
    [InlineData("format_bytes(real(null))")]
    public void Function_OfAnInvalidValue_IsEmpty(string expression)
    {
        Assert.Equal("", store.Print(expression));
    }

    [Fact]
    public void Strrep_RepeatsAtMost1024Times()
    {
        Assert.Equal(1024L, store.Print("strlen(strrep('x', 5000))"));
    }

    [Theory]
    [InlineData("dynamic(['cat', 'dog'])", "dynamic(['dog', 'pigeon'])", "A magic trick can turn a dog into a pigeon")]
    [InlineData("dynamic(['turn', ' into a dog'])", "dynamic(['disappear', ''])", "A magic trick can disappear a cat")]
    public void ReplaceStrings_MatchesTheDocumentedExamples(string lookups, string rewrites, string expected)
    {
        Assert.Equal(expected, store.Print($"replace_strings('A magic trick can turn a cat into a dog', {lookups}, {rewrites})"));
    }

    [Theory]
    [InlineData("dynamic(['This', 'is'])", "dynamic(['This', 'was'])", "This was an example of using replace_strings()")]
    [InlineData("dynamic(['is', 'This'])", "dynamic(['was', 'This'])", "Thwas was an example of using replace_strings()")]
    [InlineData("dynamic(['This', 'is'])", "dynamic([12345, 'was'])", "This was an example of using replace_strings()")]
    public void ReplaceStrings_EarlierLookupsTakePrecedence(string lookups, string rewrites, string expected)
    {
        Assert.Equal(expected, store.Print($"replace_strings('This is an example of using replace_strings()', {lookups}, {rewrites})"));
    }

    [Theory]
    [InlineData(""""parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"')"""", """["aa","b,b,b","cc","Escaping quotes: \"Title\"","line1\nline2"]""")]
    [InlineData("parse_csv('record1,a,b,c\\nrecord2,x,y,z')", """["record1","a","b","c"]""")]
    [InlineData("parse_csv('')", """[""]""")]
    [InlineData("parse_csv('a,,b,')", """["a","","b",""]""")]
    public void ParseCsv_MatchesTheDocumentedExamples(string expression, string expected)
    {
        Assert.Equal(Json(expected), Json(store.Print(expression)));
    }

    [Theory]
    [InlineData(@"echo ""hello world!""", """["echo","hello world!"]""")]
    [InlineData(@"""C:\Program Files\app.exe"" -x", """["C:\\Program Files\\app.exe","-x"]""")]
    [InlineData(@"a ""b c"" d", """["a","b c","d"]""")]
    [InlineData(@"a \\\""b", """["a","\\\"b"]""")]
    [InlineData(@"a \\\\""b c""", """["a","\\\\b c"]""")]
    [InlineData(@"a c:\dir\ x", """["a","c:\\dir\\","x"]""")]
    [InlineData(@"a ""x""""y""", """["a","x\"y"]""")]
    [InlineData("a   b\tc ", """["a","b","c"]""")]
    [InlineData("", "[]")]
    public void ParseCommandLine_FollowsWindowsRules(string line, string expected)
    {
        var query = $"print r = parse_command_line(@'{line.Replace("'", "''", StringComparison.Ordinal)}', 'windows')";
        Assert.Equal(Json(expected), Json(store.Run(query).Single("r")));
    }

    [Fact]
    public void ParsePath_MatchesTheDocumentedExamples()
    {
        var result = store.Run("""
            datatable(p:string)[
                @"C:\temp\file.txt",
                @"temp\file.txt",
                "file://C:/temp/file.txt:some.exe",
                @"\\shared\users\temp\file.txt.gz",
                "/usr/lib/temp/file.txt"]
            | extend parts = parse_path(p)
            """);
        string[] expected =
        [
            """{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}""",
            """{"Scheme":"","RootPath":"","DirectoryPath":"temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}""",
            """{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}""",
            """{"Scheme":"","RootPath":"","DirectoryPath":"\\\\shared\\users\\temp","DirectoryName":"temp","Filename":"file.txt.gz","Extension":"gz","AlternateDataStreamName":""}""",
            """{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}""",
        ];
        Assert.Equal(expected.Select(Json), result.Column("parts").Select(Json));
        Assert.Equal("file.txt", store.Run(@"print r = tostring(parse_path(@'C:\temp\file.txt').Filename)").Single("r"));
    }

    [Fact]
    public void Functions_OfAColumn_ComputeRowByRow()
    {
        var result = store.Run("datatable(s:string)['ab', 'ABC', ''] | extend r = reverse(s), c = strcmp(s, 'ab'), n = string_size(s), t = translate('ab', 'x', s)");
        Assert.Equal(["ba", "CBA", ""], result.Column("r"));
        Assert.Equal([0L, -1L, -1L], result.Column("c"));
        Assert.Equal([2L, 3L, 0L], result.Column("n"));
        Assert.Equal(["xx", "ABC", ""], result.Column("t"));
    }

    [Theory]
    [InlineData("parse_command_line('a b', 'unix')", 37, "parse_command_line's parser is the constant \"windows\"")]
    [InlineData("format_bytes(1, 0, 'KiB')", 30, "format_bytes's unit is a constant, one of Bytes, KB, MB, GB, TB, PB, EB")]
    [InlineData("format_bytes('1')", 24, "format_bytes() expects a number (int, long, real or decimal) but argument 1 is string")]
    [InlineData("strrep('x', 1.5)", 23, "strrep() expects a whole number (int or long) but argument 2 is real")]
    [InlineData("replace_strings('x', 'a', 'b')", 32, "replace_strings() expects a dynamic array but argument 2 is string")]
    [InlineData("unicode_codepoints_to_string('a')", 40, "unicode_codepoints_to_string() expects a whole number (int or long) but argument 1 is string")]
    public void Function_WithAWrongArgument_IsAnErrorAtTheArgument(string expression, int column, string message)
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print r = {expression}"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((1, column), (e.Line, e.Column));
    }
}
