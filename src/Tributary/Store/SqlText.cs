namespace Tributary.Store;

/// <summary>Quoting of user text that goes into DuckDB SQL: identifiers and string literals.</summary>
internal static class SqlText
{
    /// <summary>A double-quoted identifier; embedded quotes are doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A single-quoted string literal; embedded quotes are doubled (DuckDB has no backslash escapes in '…').</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
