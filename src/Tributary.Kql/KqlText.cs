using System.Globalization;
using System.Text;
using Tributary.Kql.Parsing;

namespace Tributary.Kql;

/// <summary>Text-level helpers over KQL that respect its tokens (strings and comments are never touched).</summary>
public static class KqlText
{
    /// <summary>
    /// The query with every bare identifier named in <paramref name="values"/> replaced by a
    /// <c>datetime(…)</c> literal: what a job's query reads like as run
    /// (<c>fOMRollouts(startTime, endTime)</c> → <c>fOMRollouts(datetime(2023-05-22T10:00:00.0000000Z), …)</c>).
    /// </summary>
    /// <exception cref="KqlException">The query does not tokenize.</exception>
    public static string BindDatetimes(string query, IReadOnlyDictionary<string, DateTime> values)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(values);
        var sb = new StringBuilder(query.Length + 64);
        var last = 0;
        var previous = TokenKind.End;
        foreach (var token in Lexer.Tokenize(query))
        {
            // A member (d.startTime) is not the parameter.
            var afterDot = previous == TokenKind.Dot;
            previous = token.Kind;
            if (afterDot || token.Kind != TokenKind.Identifier || !values.TryGetValue(token.Text, out var value)
                || string.CompareOrdinal(query, token.Offset, token.Text, 0, token.Text.Length) != 0)
            {
                continue;
            }

            sb.Append(query, last, token.Offset - last);
            sb.Append("datetime(").Append(value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(')');
            last = token.Offset + token.Text.Length;
        }

        sb.Append(query, last, query.Length - last);
        return sb.ToString();
    }
}
