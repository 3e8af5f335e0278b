namespace Tributary.Kql.Patterns;

/// <summary>Where a regular expression breaks RE2's rules, and why (<see cref="Index"/> is 0-based in the pattern).</summary>
public sealed record Re2Error(int Index, string Message);

/// <summary>
/// Checks a regular expression against the syntax of RE2, the engine that runs KQL's regular expressions here (and in
/// Kusto): what RE2 refuses — backreferences, lookaround, possessive and atomic matching, recursion, conditionals,
/// comments, PCRE escapes such as <c>\Z</c> or <c>\cK</c> — and what no engine accepts (an unbalanced parenthesis, a
/// repetition of nothing, an unclosed class). A pattern that passes compiles in RE2.
/// </summary>
/// <remarks>
/// Implementation note: one pass with a depth counter and a flag saying whether the last item can be repeated; the
/// checker never builds the expression. RE2's rules as its syntax reference lists them (doc/syntax.txt), for the
/// version DuckDB bundles: <c>(?P&lt;name&gt;re)</c> names a group, <c>(?&lt;name&gt;re)</c> does not; repeat counts
/// are at most 1000.
/// </remarks>
public static class Re2Pattern
{
    /// <summary>The largest count in <c>{n,m}</c> RE2 takes.</summary>
    public const int MaxRepeat = 1000;

    private static readonly HashSet<string> AsciiClasses = new(StringComparer.Ordinal)
    {
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit",
    };

    /// <summary>The first thing RE2 would refuse in <paramref name="pattern"/>, or null when it compiles.</summary>
    public static Re2Error? Check(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new Scanner(pattern).Run();
    }

    /// <summary>How many capturing groups (<c>(re)</c>, <c>(?P&lt;name&gt;re)</c>) a pattern that passes <see cref="Check"/> has.</summary>
    /// <exception cref="ArgumentException">The pattern does not pass <see cref="Check"/>.</exception>
    public static int CaptureGroupCount(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var scanner = new Scanner(pattern);
        return scanner.Run() is null ? scanner.CapturingGroups : throw new ArgumentException("the pattern is not a valid RE2 expression", nameof(pattern));
    }

    private sealed class Scanner(string pattern)
    {
        private int _at;
        private int _depth;
        private readonly Stack<int> _opens = new();

        /// <summary>The capturing groups opened so far.</summary>
        public int CapturingGroups { get; private set; }

        // Whether the previous item can take a repetition (false at the start, after '(' or '|', and after a repetition).
        private bool _repeatable;

        public Re2Error? Run()
        {
            while (_at < pattern.Length)
            {
                var error = Item();
                if (error is not null)
                {
                    return error;
                }
            }

            return _depth > 0 ? new Re2Error(_opens.Peek(), "missing ')': this group is never closed") : null;
        }

        private Re2Error? Item()
        {
            var start = _at;
            var c = pattern[_at];
            switch (c)
            {
                case '\\':
                    return Escape(inClass: false);
                case '[':
                    return Class();
                case '(':
                    return Group();
                case ')':
                    if (_depth == 0)
                    {
                        return new Re2Error(start, "unexpected ')': no group is open");
                    }

                    _depth--;
                    _opens.Pop();
                    _at++;
                    _repeatable = true;
                    return null;
                case '|':
                    _at++;
                    _repeatable = false;
                    return null;
                case '*' or '+' or '?':
                    return Repetition(start, 1);
                case '{':
                    if (RepeatCount(out var length, out var error))
                    {
                        return error ?? Repetition(start, length);
                    }

                    // Not a well-formed count: '{' is a plain character, as in RE2.
                    _at++;
                    _repeatable = true;
                    return null;
                case '^' or '$':
                    _at++;
                    _repeatable = true;
                    return null;
                default:
                    _at += char.IsSurrogatePair(pattern, _at) ? 2 : 1;
                    _repeatable = true;
                    return null;
            }
        }

        /// <summary>A repetition operator of <paramref name="length"/> characters at <paramref name="start"/>, with its '?' or '+' suffix.</summary>
        private Re2Error? Repetition(int start, int length)
        {
            var op = pattern.Substring(start, length);
            if (!_repeatable)
            {
                return new Re2Error(start, $"'{op}' repeats nothing: put it after a character, a class or a group");
            }

            _at = start + length;
            if (_at < pattern.Length && pattern[_at] == '+')
            {
                return new Re2Error(_at, $"possessive repetition '{op}+' is not supported by RE2 (use '{op}')");
            }

            if (_at < pattern.Length && pattern[_at] == '?')
            {
                _at++;
            }

            if (_at < pattern.Length && pattern[_at] is '*' or '+' or '?')
            {
                return new Re2Error(_at, $"'{pattern[_at]}' after '{op}' repeats a repetition: group it first, as in '(?:x{op}){pattern[_at]}'");
            }

            _repeatable = false;
            return null;
        }

        /// <summary>
        /// True when a well-formed <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> starts here (its length in <paramref name="length"/>);
        /// <paramref name="error"/> says when its counts are out of RE2's range.
        /// </summary>
        private bool RepeatCount(out int length, out Re2Error? error)
        {
            (length, error) = (0, null);
            var i = _at + 1;
            var min = Digits(ref i);
            if (min is null)
            {
                return false;
            }

            int? max = min;
            if (i < pattern.Length && pattern[i] == ',')
            {
                i++;
                max = i < pattern.Length && char.IsAsciiDigit(pattern[i]) ? Digits(ref i) : -1;
            }

            if (i >= pattern.Length || pattern[i] != '}')
            {
                return false;
            }

            length = i + 1 - _at;
            var text = pattern.Substring(_at, length);
            if (min > MaxRepeat || max > MaxRepeat)
            {
                error = new Re2Error(_at, $"repeat count '{text}' is over RE2's limit of {MaxRepeat}");
            }
            else if (max >= 0 && max < min)
            {
                error = new Re2Error(_at, $"repeat count '{text}' has its maximum below its minimum");
            }

            return true;
        }

        private int? Digits(ref int i)
        {
            var from = i;
            long value = 0;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                value = Math.Min(value * 10 + (pattern[i] - '0'), int.MaxValue);
                i++;
            }

            return i == from ? null : (int)value;
        }

        private Re2Error? Group()
        {
            var start = _at;
            _at++;
            if (_at < pattern.Length && pattern[_at] == '*')
            {
                return new Re2Error(start, "a '(*VERB)' control verb is not supported by RE2");
            }

            var capturing = _at >= pattern.Length || pattern[_at] != '?' || pattern.AsSpan(_at).StartsWith("?P<");
            if (_at < pattern.Length && pattern[_at] == '?')
            {
                var error = GroupFlags(start);
                if (error is not null)
                {
                    return error;
                }

                if (_at > start && pattern[_at - 1] == ')')
                {
                    // '(?i)': flags for the rest of the enclosing group, nothing to open.
                    _repeatable = false;
                    return null;
                }
            }

            _depth++;
            _opens.Push(start);
            _repeatable = false;
            if (capturing)
            {
                CapturingGroups++;
            }

            return null;
        }

        /// <summary>After '(?': a named group, a non-capturing group, or flags; everything else RE2 refuses.</summary>
        private Re2Error? GroupFlags(int start)
        {
            _at++;
            var rest = pattern.AsSpan(_at);
            if (rest.StartsWith("P<"))
            {
                var nameStart = _at + 2;
                var end = nameStart;
                while (end < pattern.Length && (char.IsAsciiLetterOrDigit(pattern[end]) || pattern[end] == '_'))
                {
                    end++;
                }

                if (end == nameStart || end >= pattern.Length || pattern[end] != '>')
                {
                    return new Re2Error(start, "a group name after '(?P<' must be letters, digits or '_', closed by '>'");
                }

                _at = end + 1;
                return null;
            }

            string? refused = rest switch
            {
                _ when rest.StartsWith("P=") => "a named backreference '(?P=name)'",
                _ when rest.StartsWith("P>") => "a recursive call '(?P>name)'",
                _ when rest.StartsWith("<=") || rest.StartsWith("<!") => "lookbehind '(?<=…)' / '(?<!…)'",
                _ when rest.StartsWith("<") => "a named group '(?<name>…)' (write '(?P<name>…)')",
                _ when rest.StartsWith("=") || rest.StartsWith("!") => "lookahead '(?=…)' / '(?!…)'",
                _ when rest.StartsWith(">") => "an atomic group '(?>…)'",
                _ when rest.StartsWith("#") => "a comment '(?#…)'",
                _ when rest.StartsWith("|") => "a branch reset '(?|…)'",
                _ when rest.StartsWith("'") => "a named group '(?'name'…)' (write '(?P<name>…)')",
                _ when rest.StartsWith("(") => "a conditional '(?(cond)…)'",
                _ when rest.StartsWith("&") || rest.StartsWith("R") || rest.StartsWith("+") || (rest.Length > 0 && char.IsAsciiDigit(rest[0])) => "a recursive call '(?R)' / '(?1)' / '(?&name)'",
                _ when rest.StartsWith("C") => "a callout '(?C…)'",
                _ => null,
            };
            if (refused is not null)
            {
                return new Re2Error(start, $"{refused} is not supported by RE2");
            }

            // Flags: [imsU]* with at most one '-', then ':' (a group) or ')' (for the rest of the enclosing group).
            var negated = false;
            var any = false;
            while (_at < pattern.Length)
            {
                var c = pattern[_at];
                if (c is 'i' or 'm' or 's' or 'U')
                {
                    any = true;
                    _at++;
                    continue;
                }

                if (c == '-' && !negated)
                {
                    negated = true;
                    _at++;
                    continue;
                }

                if ((c == ':' || c == ')') && !(negated && pattern[_at - 1] == '-'))
                {
                    if (c == ')' && !any)
                    {
                        return new Re2Error(start, "'(?)' sets no flags: write the flags (i, m, s, U) or remove it");
                    }

                    _at++;
                    return null;
                }

                return new Re2Error(_at, c == 'x'
                    ? "the 'x' flag (free spacing) is not supported by RE2"
                    : $"'{c}' is not a group flag: RE2 takes i, m, s and U, as in '(?i)' or '(?i:…)'");
            }

            return new Re2Error(start, "missing ')': this group is never closed");
        }

        private Re2Error? Class()
        {
            var start = _at;
            _at++;
            if (_at < pattern.Length && pattern[_at] == '^')
            {
                _at++;
            }

            var first = true;
            int? previous = null;
            int? rangeLow = null;
            while (_at < pattern.Length && (pattern[_at] != ']' || first))
            {
                first = false;
                if (pattern.AsSpan(_at).StartsWith("[:"))
                {
                    var end = pattern.IndexOf(":]", _at + 2, StringComparison.Ordinal);
                    if (end > 0)
                    {
                        var name = pattern[(_at + 2)..end].TrimStart('^');
                        if (!AsciiClasses.Contains(name))
                        {
                            return new Re2Error(_at, $"'[:{name}:]' is not an ASCII class: RE2 knows {string.Join(", ", AsciiClasses.Order(StringComparer.Ordinal))}");
                        }

                        _at = end + 2;
                        previous = null;
                        continue;
                    }
                }

                // A range 'a-z': '-' after a character and before anything but ']' (a '-' first or last is a plain '-').
                if (pattern[_at] == '-' && previous is not null && rangeLow is null && _at + 1 < pattern.Length && pattern[_at + 1] != ']')
                {
                    rangeLow = previous;
                    _at++;
                    continue;
                }

                int? code;
                var itemStart = _at;
                if (pattern[_at] == '\\')
                {
                    var error = Escape(inClass: true, out code);
                    if (error is not null)
                    {
                        return error;
                    }
                }
                else
                {
                    code = char.ConvertToUtf32(pattern, _at);
                    _at += char.IsSurrogatePair(pattern, _at) ? 2 : 1;
                }

                if (rangeLow is { } low)
                {
                    if (code is not { } high)
                    {
                        return new Re2Error(itemStart, "a range must end with a character, not a class");
                    }

                    if (high < low)
                    {
                        return new Re2Error(itemStart, $"the range '{char.ConvertFromUtf32(low)}-{char.ConvertFromUtf32(high)}' runs backwards (its first character is after its last)");
                    }

                    (rangeLow, previous) = (null, null);
                    continue;
                }

                previous = code;
            }

            if (_at >= pattern.Length)
            {
                return new Re2Error(start, "missing ']': this character class is never closed");
            }

            _at++;
            _repeatable = true;
            return null;
        }

        private Re2Error? Escape(bool inClass) => Escape(inClass, out _);

        /// <summary>An escape at '\': what it stands for (<paramref name="code"/>: its character, or null for a class or an assertion).</summary>
        private Re2Error? Escape(bool inClass, out int? code)
        {
            code = null;
            var start = _at;
            if (_at + 1 >= pattern.Length)
            {
                return new Re2Error(start, "the pattern ends with a lone '\\'");
            }

            var c = pattern[_at + 1];
            _at += 2;
            _repeatable = true;
            switch (c)
            {
                case >= '1' and <= '7' when _at >= pattern.Length || pattern[_at] is < '0' or > '7':
                    return new Re2Error(start, $"a backreference '\\{c}' is not supported by RE2");
                case >= '0' and <= '7':
                    // Octal: up to three digits.
                    var value = c - '0';
                    for (var n = 0; n < 2 && _at < pattern.Length && pattern[_at] is >= '0' and <= '7'; n++, _at++)
                    {
                        value = value * 8 + (pattern[_at] - '0');
                    }

                    code = value;
                    return null;
                case '8' or '9':
                    return new Re2Error(start, $"a backreference '\\{c}' is not supported by RE2");
                case 'a':
                    code = 7;
                    return null;
                case 'f':
                    code = 12;
                    return null;
                case 't':
                    code = 9;
                    return null;
                case 'n':
                    code = 10;
                    return null;
                case 'r':
                    code = 13;
                    return null;
                case 'v':
                    code = 11;
                    return null;
                case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                    return null;
                case 'b' or 'B' or 'A' or 'z' when !inClass:
                    return null;
                case 'b' when inClass:
                    return new Re2Error(start, "'\\b' inside a class (backspace) is not supported by RE2 (write '\\010')");
                case 'C' when !inClass:
                    return null;
                case 'p' or 'P':
                    return UnicodeClass(start);
                case 'x':
                    return Hex(start, out code);
                case 'Q' when !inClass:
                    var end = pattern.IndexOf("\\E", _at, StringComparison.Ordinal);
                    _at = end < 0 ? pattern.Length : end + 2;
                    return null;
                case 'E' when !inClass:
                    return new Re2Error(start, "'\\E' ends nothing: there is no '\\Q' before it");
                default:
                    if (c < 0x80 && !char.IsAsciiLetterOrDigit(c))
                    {
                        // Any other ASCII character escaped is itself.
                        code = c;
                        return null;
                    }

                    return new Re2Error(start, $"'\\{c}' is not an escape RE2 knows{Hint(c)}");
            }
        }

        private static string Hint(char c) => c switch
        {
            'Z' => " (use '\\z' for the end of the text, or '$')",
            'G' => " ('\\G' anchors at the previous match)",
            'c' => " (control characters: write them in octal, '\\001')",
            'e' => " (escape: write '\\033')",
            'g' or 'k' => " (backreferences are not supported)",
            'K' => " ('\\K' resets the match start)",
            'R' => " (line breaks: use '(?:\\r\\n|\\n|\\r)')",
            'h' or 'H' => " (horizontal space: use '[ \\t]')",
            'V' => " (vertical space: use '[\\n\\v\\f\\r]')",
            'X' => " (Unicode grapheme clusters)",
            'N' => " (named characters: use '\\x{…}')",
            'l' or 'u' or 'L' or 'U' => " (case changes belong in the replacement, not the pattern)",
            _ => "",
        };

        private Re2Error? UnicodeClass(int start)
        {
            if (_at >= pattern.Length)
            {
                return new Re2Error(start, "'\\p' needs a class name, as in '\\pL' or '\\p{Greek}'");
            }

            if (pattern[_at] != '{')
            {
                _at++;
                return null;
            }

            var end = pattern.IndexOf('}', _at);
            if (end < 0 || end == _at + 1)
            {
                return new Re2Error(start, "'\\p{' needs a class name and a closing '}', as in '\\p{Greek}'");
            }

            _at = end + 1;
            return null;
        }

        private Re2Error? Hex(int start, out int? code)
        {
            code = null;
            if (_at < pattern.Length && pattern[_at] == '{')
            {
                var end = pattern.IndexOf('}', _at);
                var digits = end < 0 ? "" : pattern[(_at + 1)..end];
                if (digits.Length == 0 || digits.Length > 8 || !digits.All(char.IsAsciiHexDigit)
                    || Convert.ToInt64(digits, 16) is var value && value > 0x10FFFF)
                {
                    return new Re2Error(start, "'\\x{…}' needs a hex code point up to 10FFFF, as in '\\x{263A}'");
                }

                code = (int)value;
                _at = end + 1;
                return null;
            }

            if (_at + 1 < pattern.Length && char.IsAsciiHexDigit(pattern[_at]) && char.IsAsciiHexDigit(pattern[_at + 1]))
            {
                code = Convert.ToInt32(pattern.Substring(_at, 2), 16);
                _at += 2;
                return null;
            }

            return new Re2Error(start, "'\\x' needs exactly two hex digits ('\\x7F') or braces ('\\x{263A}')");
        }
    }
}
