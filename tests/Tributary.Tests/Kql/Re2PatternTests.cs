using DuckDB.NET.Data;
using Tributary.Kql.Patterns;

namespace Tributary.Tests.Kql;

/// <summary>The RE2 checker's verdicts, and the same verdicts from DuckDB's own RE2 on the same patterns.</summary>
public sealed class Re2PatternTests
{
    /// <summary>Patterns RE2 compiles.</summary>
    public static TheoryData<string> Accepted() => new(AcceptedPatterns);

    private static readonly string[] AcceptedPatterns =
    [
        @"abc", @"^a.*b$", @"a|b|", @"(a)(?:b)(?P<name>c)", @"(?i)abc", @"(?i:a)b", @"(?-s:.)", @"(?U)a+",
        @"a*?b+?c??", @"a{2}", @"a{2,}", @"a{2,5}?", @"a{1000}", @"x{", @"x{a}", @"x{2,a}", @"{", @"a{,3}",
        @"[abc]", @"[^a-z0-9_]", @"[]a]", @"[^]a]", @"[a-]", @"[-a]", @"[[:alpha:]]", @"[[:^digit:]x]", @"[\d\s]", @"[\]]",
        @"\d+\.\d*", @"\bword\B", @"\Aabc\z", @"\pL\p{Greek}\PN\P{Latin}", @"\x41\x{263A}", @"\101\0\012", @"\Q.*+\E",
        @"\.\*\+\?\(\)\[\]\{\}\|\^\$\\\/", @"\a\f\t\n\r\v", @"\C", @"\-", @"\ ", @"é+", @"😀{2}", @"^*", @"$+", @"()", @"(|a)",
    ];

    /// <summary>Patterns RE2 refuses, with a word the checker's message must hold.</summary>
    public static TheoryData<string, string> Refused()
    {
        var data = new TheoryData<string, string>();
        foreach (var (pattern, word) in RefusedPatterns)
        {
            data.Add(pattern, word);
        }

        return data;
    }

    private static readonly (string Pattern, string Word)[] RefusedPatterns =
    [
        (@"(a)\1", "backreference"),
        (@"\8", "backreference"),
        (@"a(?=b)", "lookahead"),
        (@"a(?!b)", "lookahead"),
        (@"(?<=a)b", "lookbehind"),
        (@"(?<!a)b", "lookbehind"),
        (@"(?>a+)", "atomic"),
        (@"a++", "possessive"),
        (@"a*+", "possessive"),
        (@"a{2}+", "possessive"),
        (@"(?#note)a", "comment"),
        (@"(?(1)a|b)", "conditional"),
        (@"(?R)", "recursive"),
        (@"(?1)", "recursive"),
        (@"(?P=n)", "backreference"),
        (@"(?<n>a)", "(?P<name>"),
        (@"(?x)a b", "'x' flag"),
        (@"(?z)a", "group flag"),
        (@"(*FAIL)", "control verb"),
        (@"a\Z", "\\z"),
        (@"\G", "not an escape"),
        (@"\cK", "octal"),
        (@"\e", "\\033"),
        (@"\K", "not an escape"),
        (@"\R", "not an escape"),
        (@"\h", "not an escape"),
        (@"\X", "not an escape"),
        (@"\é", "not an escape"),
        (@"[\b]", "backspace"),
        (@"*a", "repeats nothing"),
        (@"a|*", "repeats nothing"),
        (@"(*)", "control verb"),
        (@"a**", "repeats a repetition"),
        (@"a{1001}", "limit of 1000"),
        (@"a{5,2}", "maximum below"),
        (@"(a", "missing ')'"),
        (@"a)", "unexpected ')'"),
        (@"[a", "missing ']'"),
        (@"[z-a]", "backwards"),
        (@"[a-\d]", "range must end"),
        (@"a\E", @"no '\Q'"),
        (@"[[:word2:]]", "not an ASCII class"),
        (@"a\", "lone"),
        (@"\x4", "two hex digits"),
        (@"\x{110000}", "10FFFF"),
        (@"\p{", "class name"),
        (@"(?P<>a)", "group name"),
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Check_PatternRe2Compiles_IsAccepted(string pattern)
    {
        Assert.Null(Re2Pattern.Check(pattern));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Check_PatternRe2Refuses_SaysWhyAndWhere(string pattern, string word)
    {
        var error = Re2Pattern.Check(pattern);
        Assert.NotNull(error);
        Assert.Contains(word, error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Index, 0, pattern.Length - 1);
    }

    [Fact]
    public void Check_AgreesWithDuckDbsOwnRe2_OnEveryPattern()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var disagreements = new List<string>();
        foreach (var pattern in AcceptedPatterns.Concat(RefusedPatterns.Select(r => r.Pattern)))
        {
            var engine = Compiles(connection, pattern);
            var ours = Re2Pattern.Check(pattern) is null;
            if (engine != ours)
            {
                disagreements.Add($"{pattern}: DuckDB {(engine ? "compiles it" : "refuses it")}, the checker {(ours ? "accepts it" : "refuses it")}");
            }
        }

        Assert.Empty(disagreements);
    }

    private static bool Compiles(DuckDBConnection connection, string pattern)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT regexp_matches('x', '{pattern.Replace("'", "''", StringComparison.Ordinal)}')";
        try
        {
            command.ExecuteScalar();
            return true;
        }
        catch (DuckDBException)
        {
            return false;
        }
    }
}
