using System.Text;
using System.Text.Json;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Finds the values of the listed keys in a text, as Kusto's <c>parse-kv</c> does: only listed keys, the first
/// appearance of each, leading and trailing white space dropped (inside quotes, kept).
/// </summary>
/// <remarks>
/// <para>With a pair and a key/value delimiter, the text is a sequence of <c>key kv value</c> pairs separated by the pair
/// delimiter; a pair without the key/value delimiter is skipped. An unquoted value ends at the next pair delimiter, or
/// with greedy at the next pair delimiter that is followed by a key (text, then the key/value delimiter).</para>
/// <para>Without delimiters, any character that is not a letter or digit delimits: a listed key found at a word
/// boundary is followed by delimiters and then its value, one word (or a quoted text).</para>
/// <para>A key or value may be quoted when it starts with an opening quote; inside quotes, an escape character makes the
/// next character literal. An unclosed quote runs to the end. Total: never throws on any text. Linear in the text's
/// length. Immutable, so thread-safe.</para>
/// </remarks>
internal sealed class KeyValueScanner
{
    private readonly HashSet<string> _keys;
    private readonly string? _pair;
    private readonly string? _kv;
    private readonly Dictionary<char, char> _quotes;
    private readonly HashSet<char> _escapes;
    private readonly bool _greedy;

    public KeyValueScanner(IEnumerable<string> keys, string? pairDelimiter, string? kvDelimiter, IEnumerable<string> quotes, IEnumerable<char> escapes, bool greedy)
    {
        if ((pairDelimiter is null) != (kvDelimiter is null) || pairDelimiter?.Length == 0 || kvDelimiter?.Length == 0)
        {
            throw new ArgumentException("the pair and key/value delimiters are both non-empty, or both null");
        }

        _keys = new HashSet<string>(keys, StringComparer.Ordinal);
        _pair = pairDelimiter;
        _kv = kvDelimiter;
        _quotes = [];
        foreach (var q in quotes)
        {
            _quotes.TryAdd(q[0], q[^1]);
        }

        _escapes = [.. escapes];
        _greedy = greedy;
    }

    /// <summary>The listed keys found in <paramref name="text"/> and their values (as text).</summary>
    public Dictionary<string, string> Scan(string text)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_pair is not null)
        {
            ScanDelimited(text, found);
        }
        else
        {
            ScanWords(text, found);
        }

        return found;
    }

    // ---- pair and key/value delimiters ------------------------------------------------------------------

    private void ScanDelimited(string text, Dictionary<string, string> found)
    {
        var pairs = new NextOccurrence(text, _pair!);
        var kvs = new NextOccurrence(text, _kv!);
        var i = 0;
        while (i < text.Length && found.Count < _keys.Count)
        {
            i = SkipBlanks(text, i);
            string key;
            if (TryQuoted(text, ref i, out var quotedKey))
            {
                key = quotedKey;
                i = SkipBlanks(text, i);
                if (!text.AsSpan(i).StartsWith(_kv, StringComparison.Ordinal))
                {
                    i = AfterNext(pairs, i, text.Length);
                    continue;
                }
            }
            else
            {
                var kvAt = kvs.From(i);
                if (kvAt < 0)
                {
                    // No key/value delimiter anywhere after here: no more pairs.
                    return;
                }

                var pairAt = pairs.From(i);
                if (pairAt >= 0 && pairAt < kvAt)
                {
                    // A pair without a key/value delimiter.
                    i = pairAt + _pair!.Length;
                    continue;
                }

                key = text[i..kvAt].Trim();
                i = kvAt;
            }

            i = SkipBlanks(text, i + _kv!.Length);
            string value;
            if (TryQuoted(text, ref i, out var quotedValue))
            {
                value = quotedValue;
                i = AfterNext(pairs, i, text.Length);
            }
            else
            {
                var end = _greedy ? GreedyEnd(text, i, pairs, kvs) : pairs.From(i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end == text.Length ? end : end + _pair!.Length;
            }

            if (key.Length > 0 && _keys.Contains(key))
            {
                found.TryAdd(key, value);
            }
        }
    }

    // The end of a greedy value: the first pair delimiter after which a key follows (text, then the key/value delimiter).
    private int GreedyEnd(string text, int start, NextOccurrence pairs, NextOccurrence kvs)
    {
        var p = pairs.From(start);
        while (p >= 0)
        {
            var next = SkipBlanks(text, p + _pair!.Length);
            if (next < text.Length && _quotes.ContainsKey(text[next]))
            {
                return p;
            }

            var kvAt = kvs.From(next);
            if (kvAt < 0)
            {
                return text.Length;
            }

            var following = pairs.From(next);
            if ((following < 0 || kvAt < following) && !text.AsSpan(next, kvAt - next).IsWhiteSpace())
            {
                return p;
            }

            p = following;
        }

        return text.Length;
    }

    private int AfterNext(NextOccurrence pairs, int i, int length)
    {
        var at = pairs.From(i);
        return at < 0 ? length : at + _pair!.Length;
    }

    // White space that is not the start of the pair delimiter (which may itself be a space).
    private int SkipBlanks(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]) && !(_pair is not null && text.AsSpan(i).StartsWith(_pair, StringComparison.Ordinal)))
        {
            i++;
        }

        return i;
    }

    // ---- words ------------------------------------------------------------------------------------------

    private void ScanWords(string text, Dictionary<string, string> found)
    {
        var i = 0;
        while (i < text.Length && found.Count < _keys.Count)
        {
            while (i < text.Length && !IsWordChar(text[i]) && !_quotes.ContainsKey(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return;
            }

            string? key;
            if (TryQuoted(text, ref i, out var quotedKey))
            {
                key = _keys.Contains(quotedKey) ? quotedKey : null;
            }
            else
            {
                key = KeyAt(text, i, found);
                if (key is null)
                {
                    while (i < text.Length && IsWordChar(text[i]))
                    {
                        i++;
                    }

                    continue;
                }

                i += key.Length;
            }

            if (key is not null && WordValue(text, ref i) is { } value)
            {
                found.TryAdd(key, value);
            }
        }
    }

    // The longest listed key not yet found that starts at i and ends at a word boundary.
    private string? KeyAt(string text, int i, Dictionary<string, string> found)
    {
        string? best = null;
        foreach (var key in _keys)
        {
            if ((best is null || key.Length > best.Length) && !found.ContainsKey(key) && key.Length > 0
                && text.AsSpan(i).StartsWith(key, StringComparison.Ordinal)
                && (i + key.Length == text.Length || !IsWordChar(key[^1]) || !IsWordChar(text[i + key.Length])))
            {
                best = key;
            }
        }

        return best;
    }

    // After a key: delimiters, then one word or a quoted text; null when nothing follows.
    private string? WordValue(string text, ref int i)
    {
        while (i < text.Length && !IsWordChar(text[i]) && !_quotes.ContainsKey(text[i]))
        {
            i++;
        }

        if (TryQuoted(text, ref i, out var quoted))
        {
            return quoted;
        }

        var start = i;
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }

        return i > start ? text[start..i] : null;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    // ---- quotes -----------------------------------------------------------------------------------------

    private bool TryQuoted(string text, ref int i, out string value)
    {
        if (i >= text.Length || !_quotes.TryGetValue(text[i], out var close))
        {
            value = "";
            return false;
        }

        var sb = new StringBuilder();
        var j = i + 1;
        while (j < text.Length && text[j] != close)
        {
            if (_escapes.Contains(text[j]) && j + 1 < text.Length)
            {
                j++;
            }

            sb.Append(text[j]);
            j++;
        }

        i = Math.Min(j + 1, text.Length);
        value = sb.ToString();
        return true;
    }

    /// <summary>The values found, as a JSON object of strings.</summary>
    public static string ToJson(Dictionary<string, string> found)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in found)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The next occurrence of a string at or after a position that never goes back, found once and remembered, so a
    /// scan that asks again and again stays linear.
    /// </summary>
    private sealed class NextOccurrence(string text, string needle)
    {
        private int _searchedFrom = -1;
        private int _at = -1;

        public int From(int i)
        {
            if (_searchedFrom >= 0 && i >= _searchedFrom && (_at < 0 || _at >= i))
            {
                return _at;
            }

            _searchedFrom = i;
            _at = i > text.Length ? -1 : text.IndexOf(needle, i, StringComparison.Ordinal);
            return _at;
        }
    }
}
