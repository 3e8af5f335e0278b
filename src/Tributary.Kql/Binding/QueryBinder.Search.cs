using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// search and find: one predicate over many tables, with bare terms ("error", Column:"x", * has "x").
internal sealed partial class QueryBinder
{
    /// <summary>The column <c>search</c> names each row's table in.</summary>
    public const string SearchTableColumn = "$table";

    /// <summary>The column <c>find</c> packs the columns it does not show into.</summary>
    public const string FindPackColumn = "pack_";

    private static readonly HashSet<string> CaseInsensitiveOperators = new(StringComparer.Ordinal)
    {
        "has", "!has", "hasprefix", "!hasprefix", "hassuffix", "!hassuffix", "contains", "!contains",
        "startswith", "!startswith", "endswith", "!endswith",
    };

    /// <summary>One table of a search or find: the name its source column shows, and its rows that match.</summary>
    private sealed record MatchingTable(string Source, Relation Rows);

    /// <summary>
    /// <c>search</c>: the rows of the tables (the piped input; the tables named by <c>in (…)</c>; or every table) for
    /// which the predicate holds, all their columns (a name with several types split as union does) after
    /// <c>$table</c>, the table each row comes from.
    /// </summary>
    private Relation BindSearch(Relation? piped, string pipedName, SearchOperator search, Scope scope)
    {
        if (piped is not null && search.Tables is not null)
        {
            throw search.Pos.Error("search after '|' searches its input: name tables with in (…) only in a search that starts the query");
        }

        var inputs = piped is not null ? [(pipedName, piped)]
            : search.Tables is { } tables ? BindTableInputs(tables, 0, scope)
            : EveryTable(search.Pos, "search", scope);
        var (matching, _) = MatchTables(inputs, search.Predicate, scope, search.CaseSensitive, lenient: piped is null);
        return matching.Count == 0
            ? new Relation($"(SELECT ''::VARCHAR AS {Sql.Ident(SearchTableColumn)} WHERE FALSE)", [new RelColumn(SearchTableColumn, KqlType.String)])
            : UnionOf(matching.Select(m => (m.Source, m.Rows)).ToList(), "outer", SearchTableColumn);
    }

    /// <summary>
    /// <c>find</c>: the matching rows of the tables (named or every table) with a source column (<c>source_</c> or the
    /// withsource name). project-smart (the default) shows the columns the predicate names and those every matching table
    /// has, and packs each row's other columns into <c>pack_</c>; project shows the columns listed (null where a table
    /// lacks one, cast when a type is given) and with pack_all() packs the others.
    /// </summary>
    private Relation BindFind(FindSource find, Scope scope)
    {
        var inputs = find.Tables is { } tables ? BindTableInputs(tables, 0, scope) : EveryTable(find.Pos, "find", scope);
        var (matching, named) = MatchTables(inputs, find.Predicate, scope, caseSensitive: false, lenient: true);
        var shown = find.Project is { } project ? ProjectedColumns(project, inputs) : SmartColumns(matching, named);
        var packs = find.Project is null || find.PackAll;
        var projected = new List<(string Source, Relation Relation)>();
        foreach (var m in matching)
        {
            var selects = new List<string>();
            var columns = new List<RelColumn>();
            foreach (var (name, type) in shown)
            {
                var c = m.Rows.Find(name);
                if (c is null && type is null)
                {
                    // project-smart: the union fills the column with nulls.
                    continue;
                }

                var value = c is null ? SqlValue.Literal(null, type!.Value)
                    : type is { } t ? Expressions.Convert(c.Value, t, find.Pos)
                    : c.Value;
                selects.Add($"{value.Sql} AS {Sql.Ident(name)}");
                columns.Add(new RelColumn(name, value.Type, type is null ? c?.ListElement : null));
            }

            if (packs)
            {
                var shownNames = shown.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
                selects.Add($"{Pack(m.Rows.Columns.Where(c => !shownNames.Contains(c.Name)), find.Pos)} AS {Sql.Ident(FindPackColumn)}");
                columns.Add(new RelColumn(FindPackColumn, KqlType.Dynamic));
            }

            projected.Add((m.Source, Wrap(m.Rows, string.Join(", ", selects) + m.Rows.HiddenSelect, columns)));
        }

        if (projected.Count == 0)
        {
            var empty = new List<RelColumn> { new(find.SourceColumn, KqlType.String) };
            empty.AddRange(shown.Select(s => new RelColumn(s.Name, s.Type ?? KqlType.String)));
            if (packs)
            {
                empty.Add(new RelColumn(FindPackColumn, KqlType.Dynamic));
            }

            return new Relation($"(SELECT {string.Join(", ", empty.Select(c => $"{Sql.Literal(null, c.Type)} AS {c.Ref}"))} WHERE FALSE)", empty);
        }

        var union = UnionOf(projected, "outer", find.SourceColumn);
        // pack_ comes last even when a later table adds a shown column the first lacked.
        var ordered = union.Columns.Where(c => c.Name != FindPackColumn).Concat(union.Columns.Where(c => c.Name == FindPackColumn)).ToList();
        return WithColumns(union, ordered);
    }

    private List<(string Source, Relation Relation)> EveryTable(SourcePosition pos, string op, Scope scope)
    {
        if (_catalog is not ICatalogListing listing)
        {
            throw pos.Error($"{op} needs the tables to look in: {op} in (Table, …)");
        }

        return listing.DatabaseTableNames().Order(StringComparer.Ordinal)
            .Select(t => (t, BindTabular(new NameSource(pos, t), scope)))
            .ToList();
    }

    // ---- the predicate, table by table ------------------------------------------------------------------

    /// <summary>
    /// The tables the predicate can hold in and their matching rows, and the column names the predicate mentions.
    /// Lenient (several tables): a table without any column the predicate names is left out (unless a term searches
    /// every column), and a part of the predicate that names a column a table lacks is false there; a column no table
    /// has is an error. Otherwise (one piped input) the predicate binds as where's does.
    /// </summary>
    private (List<MatchingTable> Matching, HashSet<string> Named) MatchTables(
        IReadOnlyList<(string Source, Relation Relation)> inputs, Expr predicate, Scope scope, bool caseSensitive, bool lenient)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        var searchesEveryColumn = false;
        foreach (var (name, pos, isTerm) in PredicateNames(predicate))
        {
            if (isTerm && name is null)
            {
                searchesEveryColumn = true;
            }
            else if (name is not null && (isTerm || IsColumnName(name, scope)))
            {
                named.Add(name);
                if (lenient && !inputs.Any(i => i.Relation.Find(name) is not null))
                {
                    throw pos.Error($"no table searched has a column '{name}'{Suggestions.DidYouMean(name, inputs.SelectMany(i => i.Relation.Columns.Select(c => c.Name)))}");
                }
            }
        }

        var matching = new List<MatchingTable>();
        foreach (var (source, table) in inputs)
        {
            if (lenient && !searchesEveryColumn && named.Count > 0 && !named.Any(n => table.Find(n) is not null))
            {
                continue;
            }

            var condition = Condition(predicate, table, scope, caseSensitive, lenient);
            matching.Add(new MatchingTable(source, Wrap(table, table.AllSelect, table.Columns, " WHERE " + condition)));
        }

        return (matching, named);
    }

    private string Condition(Expr predicate, Relation table, Scope scope, bool caseSensitive, bool lenient)
    {
        switch (predicate)
        {
            case BinaryExpr { Op: "and" or "or" } b:
                return $"({Condition(b.Left, table, scope, caseSensitive, lenient)} {b.Op.ToUpperInvariant()} {Condition(b.Right, table, scope, caseSensitive, lenient)})";
            case CallExpr { Name: "not", Args: [var inner] } when PredicateNames(inner).Any(n => n.IsTerm):
                return $"(NOT {Condition(inner, table, scope, caseSensitive, lenient)})";
            case SearchTerm term:
                return TermCondition(term, table, scope, caseSensitive, lenient);
            default:
                if (lenient && PredicateNames(predicate).Any(n => n.Name is not null && table.Find(n.Name) is null && IsColumnName(n.Name, scope)))
                {
                    return "FALSE";
                }

                var value = Expressions.Bind(caseSensitive ? CaseSensitive(predicate) : predicate, new BindContext(table, scope));
                return Expressions.RequireBool(value, predicate.Pos, "a search predicate").Sql;
        }
    }

    private string TermCondition(SearchTerm term, Relation table, Scope scope, bool caseSensitive, bool lenient)
    {
        var op = term.Op;
        var text = term.Text;
        if (op == SearchTerm.Wildcard)
        {
            op = "matches regex";
            text = (caseSensitive ? "" : "(?i)") + text;
        }
        else if (caseSensitive && CaseInsensitiveOperators.Contains(op))
        {
            op += "_cs";
        }

        IEnumerable<RelColumn> columns;
        if (term.Column is { } name)
        {
            var column = table.Find(name);
            if (column is null)
            {
                return lenient ? "FALSE" : throw term.Pos.Error($"unknown column '{name}'{Suggestions.DidYouMean(name, table.Columns.Select(c => c.Name))}");
            }

            columns = [column];
        }
        else
        {
            columns = table.Columns;
        }

        var ctx = new BindContext(table, scope);
        var tests = columns
            .Select(c => Expressions.Bind(new BinaryExpr(term.Pos, op, new NameExpr(term.Pos, c.Name), new LiteralExpr(term.Pos, text, KqlType.String)), ctx).Sql)
            .ToList();
        return tests.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", tests) + ")";
    }

    // A name in a predicate that is not a let, a parameter, a table or a function is a column's.
    private bool IsColumnName(string name, Scope scope) => scope.Lookup(name) is null && !IsTableOrFunction(name);

    // kind=case_sensitive: the string operators of a predicate's part take their case-sensitive forms.
    private static Expr CaseSensitive(Expr e) => e switch
    {
        BinaryExpr { Op: "=~" } b => b with { Op = "==" },
        BinaryExpr { Op: "!~" } b => b with { Op = "!=" },
        BinaryExpr b when CaseInsensitiveOperators.Contains(b.Op) => b with { Op = b.Op + "_cs" },
        _ => e,
    };

    /// <summary>
    /// The names a predicate mentions: columns (or let names) and the terms' columns, null for a term that searches every
    /// column; IsTerm for a term's.
    /// </summary>
    private static IEnumerable<(string? Name, SourcePosition Pos, bool IsTerm)> PredicateNames(Expr e)
    {
        switch (e)
        {
            case SearchTerm t:
                yield return (t.Column, t.Pos, true);
                yield break;
            case NameExpr n:
                yield return (n.Name, n.Pos, false);
                yield break;
        }

        IEnumerable<Expr> children = e switch
        {
            BinaryExpr b => [b.Left, b.Right],
            UnaryExpr u => [u.Operand],
            CallExpr c => c.Args,
            MemberExpr m => [m.Target],
            IndexExpr i => [i.Target, i.Index],
            InExpr i => [i.Value, .. i.Items],
            BetweenExpr b => [b.Value, b.Low, b.High],
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var name in PredicateNames(child))
            {
                yield return name;
            }
        }
    }

    // ---- find's columns ---------------------------------------------------------------------------------

    /// <summary>project-smart: the columns the predicate names and those every matching table has, in order of first appearance.</summary>
    private static List<(string Name, KqlType? Type)> SmartColumns(IReadOnlyList<MatchingTable> matching, HashSet<string> named)
    {
        var shown = new List<(string, KqlType?)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in matching.SelectMany(m => m.Rows.Columns))
        {
            if (seen.Add(c.Name) && (named.Contains(c.Name) || matching.All(m => m.Rows.Find(c.Name) is not null)))
            {
                shown.Add((c.Name, null));
            }
        }

        return shown;
    }

    /// <summary>find … project: each column with its type (given, or the one the tables agree on: it must be given when they disagree or none has it).</summary>
    private static List<(string Name, KqlType? Type)> ProjectedColumns(IReadOnlyList<FindColumn> project, IReadOnlyList<(string Source, Relation Relation)> inputs)
    {
        var shown = new List<(string, KqlType?)>();
        foreach (var column in project)
        {
            var types = inputs.Select(i => i.Relation.Find(column.Name)).OfType<RelColumn>().Select(c => c.ListElement is null ? c.Type : KqlType.Dynamic).Distinct().ToList();
            if (column.Type is null && types.Count != 1)
            {
                throw column.Pos.Error(types.Count == 0
                    ? $"no table has a column '{column.Name}': give its type (project {column.Name}: string) to show it as null"
                    : $"column '{column.Name}' is {string.Join(" in one table and ", types.Select(KqlTypes.Name))} in another: give the type to show it as (project {column.Name}: {KqlTypes.Name(types[0])})");
            }

            shown.Add((column.Name, column.Type ?? types[0]));
        }

        return shown;
    }

    /// <summary>A property bag of the columns: each name with its value (null values included).</summary>
    private string Pack(IEnumerable<RelColumn> columns, SourcePosition pos)
    {
        var parts = columns.Select(c => $"{Sql.String(c.Name)}, {(c.Type == KqlType.Dynamic ? c.Value.JsonSql : Expressions.Convert(c.Value, KqlType.Dynamic, pos).Sql)}").ToList();
        return parts.Count == 0 ? "'{}'::JSON" : $"json_object({string.Join(", ", parts)})";
    }
}
