using System.Text.Json;
using Tributary.Kql.Parsing;
using Tributary.Kql.Values;

namespace Tributary.Kql.Commands;

/// <summary>Parses control commands. Errors are <see cref="KqlException"/> with the position of the problem.</summary>
/// <remarks>
/// A command is read from the same <see cref="TokenCursor"/> as a query: its query bodies (after <c>&lt;|</c>,
/// between <c>{ }</c>, after a <c>.show</c>'s <c>|</c>) are parsed in place by the query parser, so an error in
/// them has the line and column of the whole command, and the body is handed on with the position it starts at.
/// The data of <c>.ingest inline</c> is never lexed: the text after <c>&lt;|</c> is taken as it is.
/// </remarks>
public sealed class CommandParser
{
    // What a .show command's output is called while its piped operators are parsed (the name is never looked up).
    private const string PipedOutput = "$command";

    private readonly TokenCursor _tokens;

    private CommandParser(TokenCursor tokens) => _tokens = tokens;

    /// <summary>True when the text is a control command (its first non-blank character is '.').</summary>
    public static bool IsCommand(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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
        return new CommandParser(new TokenCursor(text, KqlPosition.Start)).ParseCommand();
    }

    private ControlCommand ParseCommand()
    {
        _tokens.Expect(TokenKind.Dot, "'.' to start a control command");
        var verbToken = _tokens.Expect(TokenKind.Identifier, "a command name (.create, .show, .drop, .ingest, .set-or-append …)");
        var verb = verbToken.Text;
        return verb switch
        {
            "create" or "create-merge" when _tokens.AtWord("table") => ParseCreateTable(verb == "create-merge"),
            "create" when _tokens.AtWord("materialized-view") || _tokens.AtWord("ifnotexists") => ParseCreateView(),
            "create" or "create-or-alter" when _tokens.AtWord("function") || _tokens.AtWord("with") => ParseCreateFunction(verb == "create-or-alter"),
            "alter" when _tokens.AtWord("function") => ParseCreateFunction(orAlter: true),
            "alter" or "alter-merge" when _tokens.AtWord("table") => ParseAlterRetention(),
            "delete" when _tokens.AtWord("table") => ParseDeleteRetention(),
            "drop" => ParseDrop(),
            "show" => ParseShow(),
            "ingest" => ParseIngestInline(),
            "set" or "append" or "set-or-append" or "set-or-replace" => ParseSetOrAppend(verb),
            "replace" => ParseReplaceExtents(),
            _ => throw TokenCursor.PosOf(verbToken).Error(
                $"unknown control command '.{verb}' (supported: .create table, .create-merge table, .drop table, .show tables, .show table T schema|extents, .drop extents, .ingest inline, .set-or-append, .replace extents, .create-or-alter function, .show functions, .alter table T policy retention)"),
        };
    }

    private void ExpectEnd() => _tokens.Expect(TokenKind.End, "end of command");

    /// <summary>Reads '&lt;|' and returns where the text after it begins (its offset and its position).</summary>
    private (int Offset, KqlPosition Start) ExpectBody(string what)
    {
        var arrow = _tokens.Expect(TokenKind.LessPipe, $"'<|' followed by {what}");
        var offset = arrow.Offset + 2;
        return (offset, new KqlPosition(arrow.Line, arrow.Column + 2));
    }

    /// <summary>'&lt;|' and a query, parsed in place to the end of the command; returns the query's text and where it starts.</summary>
    private (string Query, KqlPosition Start) ParseQueryBody()
    {
        var (offset, start) = ExpectBody("a query");
        Parser.ParseBody(_tokens, TokenKind.End, scalarBodyAllowed: false);
        ExpectEnd();
        return (_tokens.Text[offset..], start);
    }

    /// <summary>'{', a body parsed in place, '}' and the end of the command; returns the body's text (trimmed) and where it starts.</summary>
    private (string Body, KqlPosition Start) ParseBracedBody(string what, bool scalarBodyAllowed)
    {
        var open = _tokens.Expect(TokenKind.LBrace, $"'{{' to start the body of {what}");
        Parser.ParseBody(_tokens, TokenKind.RBrace, scalarBodyAllowed);
        var close = _tokens.Expect(TokenKind.RBrace, $"'}}' to end the body of {what}");
        ExpectEnd();
        var raw = _tokens.Text[(open.Offset + 1)..close.Offset];
        var body = raw.Trim();
        if (body.Length == 0)
        {
            throw TokenCursor.PosOf(open).Error($"{what} has an empty body");
        }

        var offset = open.Offset + 1 + (raw.Length - raw.TrimStart().Length);
        return (body, _tokens.PositionAt(offset));
    }

    private CreateTableCommand ParseCreateTable(bool merge)
    {
        _tokens.ExpectWord("table");
        var table = _tokens.ExpectName("a table name");
        var columns = ParseColumns();
        ExpectEnd();
        return new CreateTableCommand(table, columns, merge);
    }

    private CreateMaterializedViewCommand ParseCreateView()
    {
        var ifNotExists = _tokens.AcceptWord("ifnotexists");
        _tokens.ExpectWord("materialized-view");
        if (_tokens.AcceptWord("with"))
        {
            ParseProperties();
        }

        var name = _tokens.ExpectName("a materialized view name");
        _tokens.ExpectWord("on");
        _tokens.ExpectWord("table");
        var source = _tokens.ExpectName("the source table");
        var (query, start) = ParseBracedBody($"materialized view '{name}'", scalarBodyAllowed: false);
        return new CreateMaterializedViewCommand(name, source, query, ifNotExists, start);
    }

    private List<KqlColumn> ParseColumns()
    {
        _tokens.Expect(TokenKind.LParen, "'(' and the column list (Name:type, …)");
        var columns = new List<KqlColumn>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var pos = _tokens.Pos;
            var name = _tokens.ExpectName("a column name");
            _tokens.Expect(TokenKind.Colon, $"':' and a type after column '{name}'");
            var typePos = _tokens.Pos;
            var typeName = _tokens.Expect(TokenKind.Identifier, "a column type").Text;
            if (!KqlTypes.TryParse(typeName, out var type))
            {
                throw typePos.Error($"unknown type '{typeName}' for column '{name}' (expected string, int, long, real, decimal, bool, datetime, timespan, guid or dynamic)");
            }

            if (!seen.Add(name))
            {
                throw pos.Error($"column '{name}' is declared twice");
            }

            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                throw pos.Error($"column names starting with '__' are reserved ('{name}')");
            }

            columns.Add(new KqlColumn(name, type));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RParen, "')' to close the column list");
        return columns;
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
                _tokens.ExpectWord("function");
            }

            if (!_tokens.AcceptWord("with"))
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

        var name = _tokens.ExpectName("a function name");
        var parameters = Parser.ParseParameterList(_tokens);
        var (body, bodyStart) = ParseBracedBody($"function '{name}'", scalarBodyAllowed: true);
        return new CreateFunctionCommand(new FunctionDefinition(name, parameters, body), orAlter, folder, doc, bodyStart);
    }

    private List<(string Key, string Value)> ParseProperties()
    {
        _tokens.Expect(TokenKind.LParen, "'(' and properties");
        var list = new List<(string, string)>();
        if (!_tokens.At(TokenKind.RParen))
        {
            do
            {
                var key = _tokens.ExpectName("a property name");
                _tokens.Expect(TokenKind.Equal, "'='");
                list.Add((key, _tokens.Advance().Text));
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.RParen, "')'");
        return list;
    }

    private List<string> ParseTagsProperty()
    {
        var tags = new List<string>();
        if (!_tokens.AcceptWord("with"))
        {
            return tags;
        }

        var pos = _tokens.Pos;
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
                throw pos.Error($"tags must be a JSON array of strings like '[\"drop-by:x\"]', not {value}");
            }
        }

        return tags;
    }

    private AlterRetentionCommand ParseAlterRetention()
    {
        _tokens.ExpectWord("table");
        var table = _tokens.ExpectName("a table name");
        _tokens.ExpectWord("policy");
        _tokens.ExpectWord("retention");
        var pos = _tokens.Pos;
        if (_tokens.AcceptWord("softdelete"))
        {
            _tokens.Expect(TokenKind.Equal, "'=' after softdelete");
            var t = _tokens.Advance();
            if (!KqlValueParser.TryParseTimeSpan(t.Text, out var period) || period <= TimeSpan.Zero)
            {
                throw TokenCursor.PosOf(t).Error($"softdelete needs a positive timespan like 30d, not '{t.Text}'");
            }

            while (_tokens.At(TokenKind.Identifier))
            {
                // recoverability = disabled|enabled is accepted and has no effect here.
                _tokens.Advance();
                if (_tokens.Accept(TokenKind.Equal))
                {
                    _tokens.Advance();
                }
            }

            ExpectEnd();
            return new AlterRetentionCommand(table, period);
        }

        if (_tokens.At(TokenKind.StringLiteral))
        {
            var json = _tokens.Advance().Text;
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

            throw pos.Error("the retention policy JSON needs a \"SoftDeletePeriod\" like \"30.00:00:00\"");
        }

        throw _tokens.Unexpected("softdelete = <timespan>");
    }

    private AlterRetentionCommand ParseDeleteRetention()
    {
        _tokens.ExpectWord("table");
        var table = _tokens.ExpectName("a table name");
        _tokens.ExpectWord("policy");
        _tokens.ExpectWord("retention");
        ExpectEnd();
        return new AlterRetentionCommand(table, null);
    }

    private ControlCommand ParseDrop()
    {
        if (_tokens.AcceptWord("table"))
        {
            var table = _tokens.ExpectName("a table name");
            var ifExists = _tokens.AcceptWord("ifexists");
            ExpectEnd();
            return new DropTableCommand(table, ifExists);
        }

        if (_tokens.AcceptWord("materialized-view"))
        {
            var view = _tokens.ExpectName("a materialized view name");
            var viewIfExists = _tokens.AcceptWord("ifexists");
            ExpectEnd();
            return new DropMaterializedViewCommand(view, viewIfExists);
        }

        if (_tokens.AcceptWord("function"))
        {
            var name = _tokens.ExpectName("a function name");
            var ifExists = _tokens.AcceptWord("ifexists");
            ExpectEnd();
            return new DropFunctionCommand(name, ifExists);
        }

        if (_tokens.AcceptWord("extents") || _tokens.AcceptWord("extent"))
        {
            return ParseDropExtents();
        }

        throw _tokens.Unexpected("table, function or extents after .drop");
    }

    // .drop extents <| .show …, .drop extents (id, …) from T, .drop extent id from T, .drop extents from T. A bare
    // guid (3f576830-2d8f-…) is no KQL token, so ids are read as raw words.
    private DropExtentsCommand ParseDropExtents()
    {
        List<Guid> ids;
        switch (_tokens.PeekChar())
        {
            case '<':
                ExpectBody("a command like .show table T extents | where …");
                return new DropExtentsCommand(null, null, ParseCommand());
            case '(':
                _tokens.Advance();
                ids = [ExtentId()];
                while (_tokens.Accept(TokenKind.Comma))
                {
                    ids.Add(ExtentId());
                }

                _tokens.Expect(TokenKind.RParen, "')' to close the extent ids");
                break;
            case '\'' or '"':
                ids = [ExtentId(_tokens.Advance())];
                break;
            case '\0':
                throw _tokens.Unexpected("extent ids, 'from T' or '<|' after .drop extents");
            default:
                if (_tokens.RawWord().Text == "from")
                {
                    _tokens.Advance();
                    return DropExtentsFrom(null);
                }

                ids = [ExtentId(_tokens.Advance())];
                break;
        }

        _tokens.ExpectWord("from");
        return DropExtentsFrom(ids);
    }

    private DropExtentsCommand DropExtentsFrom(IReadOnlyList<Guid>? ids)
    {
        var table = _tokens.ExpectName("a table name");
        ExpectEnd();
        return new DropExtentsCommand(table, ids, null);
    }

    private Guid ExtentId()
    {
        var word = _tokens.RawWord();
        if (word.Text.Length == 0)
        {
            throw TokenCursor.PosOf(word).Error("expected an extent id (a guid)");
        }

        return ExtentId(_tokens.Advance());
    }

    private static Guid ExtentId(Token token) =>
        Guid.TryParse(token.Text, out var id) ? id : throw TokenCursor.PosOf(token).Error($"'{token.Text}' is not an extent id (a guid)");

    private ControlCommand ParseShow()
    {
        ControlCommand command;
        if (_tokens.AcceptWord("tables"))
        {
            command = new ShowTablesCommand();
        }
        else if (_tokens.AcceptWord("materialized-views"))
        {
            command = new ShowMaterializedViewsCommand();
        }
        else if (_tokens.AcceptWord("functions"))
        {
            command = new ShowFunctionsCommand(null);
        }
        else if (_tokens.AcceptWord("function"))
        {
            command = new ShowFunctionsCommand(_tokens.ExpectName("a function name"));
        }
        else if (_tokens.AcceptWord("extents"))
        {
            command = new ShowExtentsCommand(null);
        }
        else if (_tokens.AcceptWord("table"))
        {
            command = ParseShowTable(_tokens.ExpectName("a table name"));
        }
        else
        {
            throw _tokens.Unexpected("tables, table, extents or functions after .show");
        }

        if (_tokens.At(TokenKind.Pipe))
        {
            var pipe = _tokens.Current;
            Parser.ParseBody(_tokens, TokenKind.End, scalarBodyAllowed: false, PipedOutput);
            ExpectEnd();
            return new PipedCommand(command, _tokens.Text[pipe.Offset..], new KqlPosition(pipe.Line, pipe.Column));
        }

        ExpectEnd();
        return command;
    }

    private ControlCommand ParseShowTable(string table)
    {
        if (_tokens.AcceptWord("extents"))
        {
            return new ShowExtentsCommand(table);
        }

        if (_tokens.AcceptWord("cslschema"))
        {
            return new ShowTableSchemaCommand(table, false);
        }

        if (_tokens.AcceptWord("schema"))
        {
            var json = false;
            if (_tokens.AcceptWord("as"))
            {
                _tokens.ExpectWord("json");
                json = true;
            }

            return new ShowTableSchemaCommand(table, json);
        }

        if (_tokens.AcceptWord("policy"))
        {
            _tokens.ExpectWord("retention");
            return new ShowRetentionCommand(table);
        }

        throw _tokens.Unexpected("schema, cslschema, extents or policy retention");
    }

    private IngestInlineCommand ParseIngestInline()
    {
        _tokens.ExpectWord("inline");
        _tokens.ExpectWord("into");
        _tokens.ExpectWord("table");
        var table = _tokens.ExpectName("a table name");
        var tags = ParseTagsProperty();
        var (offset, _) = ExpectBody("the CSV data");

        // The data is not KQL and is never lexed. It starts on the line after '<|' when it is written that way.
        var data = _tokens.Text[offset..].TrimStart(' ', '\t');
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
        _tokens.AcceptWord("async");
        var table = _tokens.ExpectName("a table name");
        var tags = ParseTagsProperty();
        var (query, start) = ParseQueryBody();
        return new SetOrAppendCommand(table, verb, tags, query, start);
    }

    private ReplaceExtentsCommand ParseReplaceExtents()
    {
        _tokens.ExpectWord("extents");
        _tokens.ExpectWord("in");
        _tokens.ExpectWord("table");
        var table = _tokens.ExpectName("a table name");
        _tokens.ExpectWord("tagged");
        var tagToken = _tokens.Expect(TokenKind.StringLiteral, "the tag in quotes, e.g. tagged 'drop-by:window-2024-05-22T22:00'");
        if (tagToken.Text.Length == 0)
        {
            throw TokenCursor.PosOf(tagToken).Error("the tag cannot be empty");
        }

        var tags = ParseTagsProperty();
        var (query, start) = ParseQueryBody();
        return new ReplaceExtentsCommand(table, tagToken.Text, tags, query, start);
    }
}
