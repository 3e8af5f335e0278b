using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Kql.Parsing;
using Tributary.Kql.Values;

namespace Tributary.Kql.Commands;

/// <summary>Parses control commands. Errors are <see cref="KqlException"/> with the position of the problem.</summary>
public sealed partial class CommandParser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly int _bodyOffset;
    private readonly List<Guid>? _extentIds;
    private int _index;

    private CommandParser(string text, List<Token> tokens, int bodyOffset, List<Guid>? extentIds)
    {
        _text = text;
        _tokens = tokens;
        _bodyOffset = bodyOffset;
        _extentIds = extentIds;
    }

    /// <summary>True when the text is a control command (its first non-blank character is '.').</summary>
    public static bool IsCommand(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return c == '.';
            }
        }

        return false;
    }

    /// <summary>Parses one control command.</summary>
    public static ControlCommand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (head, bodyOffset) = SplitAtBody(text);
        var extentIds = TakeExtentIds(ref head);
        var tokens = IsFunctionCommand(head) ? Lexer.Tokenize(text) : Lexer.Tokenize(head);
        return new CommandParser(text, tokens, bodyOffset, extentIds).ParseCommand();
    }

    // The extent ids of '.drop extents (id, …) from T' and '.drop extent id from T' are bare GUIDs, which
    // the KQL lexer cannot read (3f576830-2d8f-… lexes as numbers and timespans): they are parsed here and
    // blanked out of the head (keeping every offset), so the parser sees '( )' or nothing in their place.
    private static List<Guid>? TakeExtentIds(ref string head)
    {
        var match = DropExtentIds().Match(head);
        if (!match.Success)
        {
            return null;
        }

        var list = match.Groups["list"].Success ? match.Groups["list"] : match.Groups["one"];
        var ids = new List<Guid>();
        var offset = list.Index;
        foreach (var part in list.Value.Split(','))
        {
            var trimmed = part.Trim();
            if (!Guid.TryParse(trimmed, out var id))
            {
                var at = offset + part.IndexOf(trimmed, StringComparison.Ordinal);
                var (line, column) = LineAndColumn(head, trimmed.Length == 0 ? offset : at);
                throw new KqlException(trimmed.Length == 0 ? "expected an extent id (a guid)" : $"'{trimmed}' is not an extent id (a guid)", line, column);
            }

            ids.Add(id);
            offset += part.Length + 1;
        }

        var blank = new string(list.Value.Select(c => c is '\n' or '\r' ? c : ' ').ToArray());
        head = head[..list.Index] + blank + head[(list.Index + list.Length)..];
        return ids;
    }

    private static (int Line, int Column) LineAndColumn(string text, int offset)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                start = i + 1;
            }
        }

        return (line, offset - start + 1);
    }

    [GeneratedRegex(@"^\s*\.drop\s+extents?\s*(?:\((?<list>[^()]*)\)|(?<one>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})(?![0-9A-Za-z_-]))", RegexOptions.CultureInvariant)]
    private static partial Regex DropExtentIds();

    private static bool IsFunctionCommand(string head)
    {
        var t = head.TrimStart();
        return t.StartsWith(".create function", StringComparison.Ordinal) || t.StartsWith(".create-or-alter function", StringComparison.Ordinal)
            || t.StartsWith(".alter function", StringComparison.Ordinal) || t.StartsWith(".create materialized-view", StringComparison.Ordinal)
            || t.StartsWith(".create ifnotexists materialized-view", StringComparison.Ordinal) || t.StartsWith(".create-or-alter function with", StringComparison.Ordinal);
    }

    // The text after '<|' is a query or raw data: it must not go through the command lexer.
    private static (string Head, int BodyOffset) SplitAtBody(string text)
    {
        char? quote = null;
        for (var i = 0; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '<' && text[i + 1] == '|')
            {
                return (text[..i], i + 2);
            }
        }

        return (text, -1);
    }

    private Token Current => _tokens[_index];

    private KqlException Error(string message) => new(message, Current.Line, Current.Column);

    private KqlException Unexpected(string expected) => Error($"syntax error: expected {expected} but found {Current}");

    private bool AtWord(string w) => Current.Kind == TokenKind.Identifier && Current.Text == w;

    private bool AcceptWord(string w)
    {
        if (AtWord(w))
        {
            _index++;
            return true;
        }

        return false;
    }

    private void ExpectWord(string w)
    {
        if (!AcceptWord(w))
        {
            throw Unexpected($"'{w}'");
        }
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(what);
        }

        return _tokens[_index++];
    }

    private string Name(string what) => Current.Kind == TokenKind.Identifier ? _tokens[_index++].Text : throw Unexpected(what);

    private string Body(string what)
    {
        if (_bodyOffset < 0)
        {
            throw Error($"syntax error: expected '<|' followed by {what}");
        }

        return _text[_bodyOffset..];
    }

    private void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected("end of command");
        }
    }

    private ControlCommand ParseCommand()
    {
        Expect(TokenKind.Dot, "'.' to start a control command");
        var verb = Name("a command name (.create, .show, .drop, .ingest, .set-or-append …)");
        var command = verb switch
        {
            "create" or "create-merge" when AtWord("table") => ParseCreateTable(verb == "create-merge"),
            "create" when AtWord("materialized-view") || AtWord("ifnotexists") => ParseCreateView(),
            "create" or "create-or-alter" when AtWord("function") || AtWord("with") => ParseCreateFunction(verb == "create-or-alter"),
            "alter" when AtWord("function") => ParseCreateFunction(orAlter: true),
            "alter" or "alter-merge" when AtWord("table") => ParseAlterRetention(),
            "delete" when AtWord("table") => ParseDeleteRetention(),
            "drop" => ParseDrop(),
            "show" => ParseShow(),
            "ingest" => ParseIngestInline(),
            "set" or "append" or "set-or-append" or "set-or-replace" => ParseSetOrAppend(verb),
            "replace" => ParseReplaceExtents(),
            _ => throw new KqlException(
                $"unknown control command '.{verb}' (supported: .create table, .create-merge table, .drop table, .show tables, .show table T schema|extents, .drop extents, .ingest inline, .set-or-append, .replace extents, .create-or-alter function, .show functions, .alter table T policy retention)",
                _tokens[1].Line, _tokens[1].Column),
        };
        return command;
    }

    private CreateTableCommand ParseCreateTable(bool merge)
    {
        ExpectWord("table");
        var table = Name("a table name");
        var columns = ParseColumns();
        ExpectEnd();
        return new CreateTableCommand(table, columns, merge);
    }

    private CreateMaterializedViewCommand ParseCreateView()
    {
        var ifNotExists = AcceptWord("ifnotexists");
        ExpectWord("materialized-view");
        if (AcceptWord("with"))
        {
            ParseProperties();
        }

        var name = Name("a materialized view name");
        ExpectWord("on");
        ExpectWord("table");
        var source = Name("the source table");
        var body = ParseBracedBody($"materialized view '{name}'");
        return new CreateMaterializedViewCommand(name, source, body, ifNotExists);
    }

    private string ParseBracedBody(string what)
    {
        var open = Expect(TokenKind.LBrace, $"'{{' to start the body of {what}");
        var depth = 1;
        while (depth > 0)
        {
            if (Current.Kind == TokenKind.End)
            {
                throw new KqlException($"the body of {what} has no closing '}}'", open.Line, open.Column);
            }

            if (Current.Kind == TokenKind.LBrace)
            {
                depth++;
            }
            else if (Current.Kind == TokenKind.RBrace)
            {
                depth--;
            }

            if (depth > 0)
            {
                _index++;
            }
        }

        var body = _text[(open.Offset + 1)..Current.Offset].Trim();
        _index++;
        ExpectEnd();
        if (body.Length == 0)
        {
            throw new KqlException($"{what} has an empty body", open.Line, open.Column);
        }

        return body;
    }

    private List<KqlColumn> ParseColumns()
    {
        Expect(TokenKind.LParen, "'(' and the column list (Name:type, …)");
        var columns = new List<KqlColumn>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var pos = Current;
            var name = Name("a column name");
            Expect(TokenKind.Colon, $"':' and a type after column '{name}'");
            var typePos = Current;
            var typeName = Name("a column type");
            if (!KqlTypes.TryParse(typeName, out var type))
            {
                throw new KqlException($"unknown type '{typeName}' for column '{name}' (expected string, int, long, real, decimal, bool, datetime, timespan, guid or dynamic)", typePos.Line, typePos.Column);
            }

            if (!seen.Add(name))
            {
                throw new KqlException($"column '{name}' is declared twice", pos.Line, pos.Column);
            }

            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new KqlException($"column names starting with '__' are reserved ('{name}')", pos.Line, pos.Column);
            }

            columns.Add(new KqlColumn(name, type));
        }
        while (Accept(TokenKind.Comma));

        Expect(TokenKind.RParen, "')' to close the column list");
        return columns;
    }

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind == kind)
        {
            _index++;
            return true;
        }

        return false;
    }

    private CreateFunctionCommand ParseCreateFunction(bool orAlter)
    {
        var folder = "";
        var doc = "";
        // Kusto writes the properties after 'function'; before it is accepted too.
        for (var i = 0; i < 2; i++)
        {
            if (i == 1)
            {
                ExpectWord("function");
            }

            if (!AcceptWord("with"))
            {
                continue;
            }

            foreach (var (key, value) in ParseProperties())
            {
                if (key == "folder")
                {
                    folder = value;
                }
                else if (key == "docstring")
                {
                    doc = value;
                }
            }
        }

        var name = Name("a function name");
        Expect(TokenKind.LParen, "'(' and the parameter list");
        var parameters = new List<FunctionParameter>();
        if (Current.Kind != TokenKind.RParen)
        {
            do
            {
                var pname = Name("a parameter name");
                Expect(TokenKind.Colon, $"':' and a type after parameter '{pname}'");
                var tpos = Current;
                var tname = Name("a parameter type");
                if (!KqlTypes.TryParse(tname, out var type))
                {
                    throw new KqlException($"unknown type '{tname}' for parameter '{pname}'", tpos.Line, tpos.Column);
                }

                string? def = null;
                if (Accept(TokenKind.Equal))
                {
                    var start = Current.Offset;
                    while (Current.Kind is not (TokenKind.Comma or TokenKind.RParen or TokenKind.End))
                    {
                        _index++;
                    }

                    def = _text[start..Current.Offset].Trim();
                }

                parameters.Add(new FunctionParameter(pname, type, def));
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RParen, "')' to close the parameter list");
        var body = ParseBracedBody($"function '{name}'");
        return new CreateFunctionCommand(new FunctionDefinition(name, parameters, body), orAlter, folder, doc);
    }

    private List<(string Key, string Value)> ParseProperties()
    {
        Expect(TokenKind.LParen, "'(' and properties");
        var list = new List<(string, string)>();
        if (Current.Kind != TokenKind.RParen)
        {
            do
            {
                var key = Name("a property name");
                Expect(TokenKind.Equal, "'='");
                var t = _tokens[_index++];
                list.Add((key, t.Text));
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RParen, "')'");
        return list;
    }

    private List<string> ParseTagsProperty()
    {
        var tags = new List<string>();
        if (!AcceptWord("with"))
        {
            return tags;
        }

        var pos = Current;
        foreach (var (key, value) in ParseProperties())
        {
            if (key != "tags")
            {
                continue;
            }

            try
            {
                tags.AddRange(JsonSerializer.Deserialize<string[]>(value) ?? []);
            }
            catch (JsonException)
            {
                throw new KqlException($"tags must be a JSON array of strings like '[\"drop-by:x\"]', not {value}", pos.Line, pos.Column);
            }
        }

        return tags;
    }

    private ControlCommand ParseAlterRetention()
    {
        ExpectWord("table");
        var table = Name("a table name");
        ExpectWord("policy");
        ExpectWord("retention");
        var pos = Current;
        if (AcceptWord("softdelete"))
        {
            Expect(TokenKind.Equal, "'=' after softdelete");
            var t = _tokens[_index++];
            var text = t.Kind == TokenKind.StringLiteral ? t.Text : t.Text;
            if (!KqlValueParser.TryParseTimeSpan(text, out var period) || period <= TimeSpan.Zero)
            {
                throw new KqlException($"softdelete needs a positive timespan like 30d, not '{t.Text}'", t.Line, t.Column);
            }

            while (Current.Kind == TokenKind.Identifier)
            {
                // recoverability = disabled|enabled is accepted and has no effect here.
                _index++;
                if (Accept(TokenKind.Equal))
                {
                    _index++;
                }
            }

            ExpectEnd();
            return new AlterRetentionCommand(table, period);
        }

        if (Current.Kind == TokenKind.StringLiteral)
        {
            var json = _tokens[_index++].Text;
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.TryGetProperty("SoftDeletePeriod", out var p) && KqlValueParser.TryParseTimeSpan(p.GetString() ?? "", out var period) && period > TimeSpan.Zero)
                {
                    ExpectEnd();
                    return new AlterRetentionCommand(table, period);
                }
            }
            catch (JsonException)
            {
            }

            throw new KqlException("the retention policy JSON needs a \"SoftDeletePeriod\" like \"30.00:00:00\"", pos.Line, pos.Column);
        }

        throw Unexpected("softdelete = <timespan>");
    }

    private AlterRetentionCommand ParseDeleteRetention()
    {
        ExpectWord("table");
        var table = Name("a table name");
        ExpectWord("policy");
        ExpectWord("retention");
        ExpectEnd();
        return new AlterRetentionCommand(table, null);
    }

    private ControlCommand ParseDrop()
    {
        if (AcceptWord("table"))
        {
            var table = Name("a table name");
            var ifExists = AcceptWord("ifexists");
            ExpectEnd();
            return new DropTableCommand(table, ifExists);
        }

        if (AcceptWord("materialized-view"))
        {
            var view = Name("a materialized view name");
            var viewIfExists = AcceptWord("ifexists");
            ExpectEnd();
            return new DropMaterializedViewCommand(view, viewIfExists);
        }

        if (AcceptWord("function"))
        {
            var name = Name("a function name");
            var ifExists = AcceptWord("ifexists");
            ExpectEnd();
            return new DropFunctionCommand(name, ifExists);
        }

        if (AcceptWord("extents") || AcceptWord("extent"))
        {
            if (_bodyOffset >= 0)
            {
                ExpectEnd();
                var source = Parse(Body("a command like .show table T extents | where …"));
                return new DropExtentsCommand(null, null, source);
            }

            List<Guid>? ids = _extentIds;
            if (ids is not null)
            {
                if (Accept(TokenKind.LParen))
                {
                    Expect(TokenKind.RParen, "')'");
                }
            }
            else if (Accept(TokenKind.LParen))
            {
                ids = [];
                do
                {
                    var t = _tokens[_index++];
                    if (!Guid.TryParse(t.Text, out var id))
                    {
                        throw new KqlException($"'{t.Text}' is not an extent id (a guid)", t.Line, t.Column);
                    }

                    ids.Add(id);
                }
                while (Accept(TokenKind.Comma));

                Expect(TokenKind.RParen, "')'");
            }
            else if (Current.Kind == TokenKind.StringLiteral || Current.Kind == TokenKind.TypedLiteral)
            {
                var t = _tokens[_index++];
                if (!Guid.TryParse(t.Text, out var id))
                {
                    throw new KqlException($"'{t.Text}' is not an extent id (a guid)", t.Line, t.Column);
                }

                ids = [id];
            }

            ExpectWord("from");
            var table = Name("a table name");
            ExpectEnd();
            return new DropExtentsCommand(table, ids, null);
        }

        throw Unexpected("table, function or extents after .drop");
    }

    private ControlCommand ParseShow()
    {
        ControlCommand command;
        if (AcceptWord("tables"))
        {
            command = new ShowTablesCommand();
        }
        else if (AcceptWord("materialized-views"))
        {
            command = new ShowMaterializedViewsCommand();
        }
        else if (AcceptWord("functions"))
        {
            command = new ShowFunctionsCommand(null);
        }
        else if (AcceptWord("function"))
        {
            command = new ShowFunctionsCommand(Name("a function name"));
        }
        else if (AcceptWord("extents"))
        {
            command = new ShowExtentsCommand(null);
        }
        else if (AcceptWord("table"))
        {
            var table = Name("a table name");
            if (AcceptWord("extents"))
            {
                command = new ShowExtentsCommand(table);
            }
            else if (AcceptWord("cslschema"))
            {
                command = new ShowTableSchemaCommand(table, false);
            }
            else if (AcceptWord("schema"))
            {
                var json = false;
                if (AcceptWord("as"))
                {
                    ExpectWord("json");
                    json = true;
                }

                command = new ShowTableSchemaCommand(table, json);
            }
            else if (AcceptWord("policy"))
            {
                ExpectWord("retention");
                command = new ShowRetentionCommand(table);
            }
            else
            {
                throw Unexpected("schema, cslschema, extents or policy retention");
            }
        }
        else
        {
            throw Unexpected("tables, table, extents or functions after .show");
        }

        if (Current.Kind == TokenKind.Pipe)
        {
            return new PipedCommand(command, _text[Current.Offset..]);
        }

        ExpectEnd();
        return command;
    }

    private IngestInlineCommand ParseIngestInline()
    {
        ExpectWord("inline");
        ExpectWord("into");
        ExpectWord("table");
        var table = Name("a table name");
        var tags = ParseTagsProperty();
        ExpectEnd();
        var data = Body("the CSV data");
        // The data starts on the line after '<|' when it is written that way.
        data = data.TrimStart(' ', '\t');
        if (data.StartsWith("\r\n", StringComparison.Ordinal))
        {
            data = data[2..];
        }
        else if (data.StartsWith('\n'))
        {
            data = data[1..];
        }

        return new IngestInlineCommand(table, tags, data);
    }

    private SetOrAppendCommand ParseSetOrAppend(string verb)
    {
        AcceptWord("async");
        var table = Name("a table name");
        var tags = ParseTagsProperty();
        ExpectEnd();
        return new SetOrAppendCommand(table, verb, tags, Body("a query"));
    }

    private ReplaceExtentsCommand ParseReplaceExtents()
    {
        ExpectWord("extents");
        ExpectWord("in");
        ExpectWord("table");
        var table = Name("a table name");
        ExpectWord("tagged");
        var tagToken = Expect(TokenKind.StringLiteral, "the tag in quotes, e.g. tagged 'drop-by:window-2024-05-22T22:00'");
        if (tagToken.Text.Length == 0)
        {
            throw new KqlException("the tag cannot be empty", tagToken.Line, tagToken.Column);
        }

        var tags = ParseTagsProperty();
        ExpectEnd();
        return new ReplaceExtentsCommand(table, tagToken.Text, tags, Body("a query"));
    }
}
