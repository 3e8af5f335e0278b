using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

/// <summary>
/// Translates <c>scan</c> into a recursive SQL query that reads the serialized rows one at a time (rows not yet
/// serialized are serialized as they come, as <c>serialize</c> does) and carries each step's state from row to row,
/// with Kusto's matching logic.
/// </summary>
/// <remarks>
/// <para>
/// The state of step k is whether it holds an active sequence, that sequence's match id, the pending record of an
/// <c>output=last</c> step, and the values its conditions and assignments read (<c>s_j.Column</c> for j ≤ k). One
/// iteration of the recursion takes the next row and runs the steps from last to first, each as a few nested
/// SELECTs: check 1 (the previous step's sequence moves here), else check 2 (this step's own sequence goes on, or
/// the first step starts one), then the new state and the records the step outputs. Records are structs gathered in
/// a list per iteration and unnested at the end, in row order.
/// </para>
/// <para>
/// A state that is empty reads as the declared columns' defaults (nulls for the input's columns), so
/// <c>s1.total</c> starts from its default. An <c>output=last</c> step outputs its pending record when its sequence
/// moves on, when another sequence replaces it, or at the end of the rows.
/// </para>
/// <para>
/// Implementation note: DuckDB runs one recursion step per row (per row of the longest partition inside
/// <c>partition</c>), so scan suits thousands to tens of thousands of rows per sequence, not millions.
/// </para>
/// </remarks>
internal sealed class ScanBuilder
{
    private const string Index = "__i";
    private const string LastMatch = "__mid";
    private const string Outputs = "__outs";

    private readonly QueryBinder _binder;
    private readonly Relation _input;
    private readonly ScanOperator _scan;
    private readonly Scope _scope;
    private readonly List<Field> _fields = [];
    private readonly List<BoundStep> _steps = [];
    private readonly SortedSet<(int Step, int Field)> _references = [];

    /// <summary>A column of scan's records: one of the input's, or a declared one with its default's SQL.</summary>
    private sealed record Field(string Name, KqlType Type, KqlType? ListElement, string? Default)
    {
        public bool Declared => Default is not null;

        public RelColumn Column => new(Name, Type, ListElement);
    }

    /// <summary>A step with its references rewritten to state columns (<c>s1.Ts</c> to <c>__scan_s1.Ts</c>).</summary>
    private sealed record BoundStep(ScanStep Syntax, Expr Condition, IReadOnlyList<(int Field, Expr Value, SourcePosition Pos)> Assignments);

    /// <param name="binder">The query's binder (aliases, expressions).</param>
    /// <param name="input">The rows to scan, serialized.</param>
    /// <param name="scan">The operator as written.</param>
    /// <param name="scope">The names in scope.</param>
    public ScanBuilder(QueryBinder binder, Relation input, ScanOperator scan, Scope scope)
    {
        _binder = binder;
        _input = input;
        _scan = scan;
        _scope = scope;
    }

    private ExpressionBinder Expressions => _binder.Expressions;

    public Relation Build()
    {
        DeclareFields();
        BindSteps();
        var rows = $"SELECT {string.Join(", ", _input.Columns.Select(c => c.Ref))}{(_input.Columns.Count == 0 ? "" : ", ")}row_number() OVER (ORDER BY {Sql.Ident(Relation.OrderColumn)}) AS {Sql.Ident(Index)} FROM {_input.From} AS {_binder.NextAlias()}";
        var state = $"{Anchor()} UNION ALL {Iteration()}";
        var emitted = $"SELECT {Sql.Ident(Index)}, unnest({Sql.Ident(Outputs)}) AS __r, unnest(range(len({Sql.Ident(Outputs)}))) AS __n FROM __scan_state"
            + (LastSteps().Any() ? $" UNION ALL {EndOfRows()}" : "");

        var columns = _fields.Select(f => f.Column).ToList();
        var selects = _fields.Select((f, i) => $"struct_extract(__r, 'f{i.ToString(CultureInfo.InvariantCulture)}') AS {Sql.Ident(f.Name)}").ToList();
        if (_scan.MatchId is { } matchId)
        {
            selects.Add($"struct_extract(__r, 'fm') AS {Sql.Ident(matchId)}");
            columns.Add(new RelColumn(matchId, KqlType.Long));
        }

        selects.Add($"row_number() OVER (ORDER BY {Sql.Ident(Index)}, __n) AS {Sql.Ident(Relation.OrderColumn)}");
        var sql = $"(WITH RECURSIVE __scan_rows AS MATERIALIZED ({rows}), __scan_state AS ({state}), __scan_emitted AS ({emitted}) "
            + $"SELECT {string.Join(", ", selects)} FROM __scan_emitted)";
        return new Relation(sql, columns) { Serialized = true };
    }

    // ---- declarations and steps ---------------------------------------------------------------------

    private void DeclareFields()
    {
        _fields.AddRange(_input.Columns.Select(c => new Field(c.Name, c.Type, c.ListElement, null)));
        foreach (var d in _scan.Declarations)
        {
            if (_fields.Any(f => f.Name == d.Name))
            {
                throw d.Pos.Error($"scan declares '{d.Name}', which is already a column");
            }

            var value = d.Default is null
                ? SqlValue.Literal(null, d.Type)
                : Expressions.Convert(Expressions.Bind(d.Default, new BindContext(null, _scope)), d.Type, d.Default.Pos);
            _fields.Add(new Field(d.Name, d.Type, null, $"CAST({value.Sql} AS {KqlTypes.SqlType(d.Type)})"));
        }

        if (_scan.MatchId is { } matchId && _fields.Any(f => f.Name == matchId))
        {
            throw _scan.Pos.Error($"scan's match id column '{matchId}' is already a column");
        }
    }

    private void BindSteps()
    {
        var names = _scan.Steps.Select(s => s.Name).ToList();
        foreach (var step in _scan.Steps)
        {
            if (names.IndexOf(step.Name) < _steps.Count)
            {
                throw step.Pos.Error($"scan has two steps named '{step.Name}'");
            }

            var assignments = new List<(int, Expr, SourcePosition)>();
            foreach (var a in step.Assignments)
            {
                var field = _fields.FindIndex(f => f.Name == a.Name && f.Declared);
                if (field < 0)
                {
                    throw a.Pos.Error($"scan assigns only declared columns; declare '{a.Name}' first: declare ({a.Name}: type)");
                }

                if (assignments.Any(x => x.Item1 == field))
                {
                    throw a.Pos.Error($"step '{step.Name}' assigns '{a.Name}' twice");
                }

                assignments.Add((field, Rewrite(a.Expr, names), a.Pos));
            }

            _steps.Add(new BoundStep(step, Rewrite(step.Condition, names), assignments));
        }
    }

    /// <summary><c>step.Column</c> becomes a name the iteration defines (and the state keeps).</summary>
    private Expr Rewrite(Expr expr, List<string> steps) => ExprRewriter.Rewrite(expr, e =>
    {
        if (e is not MemberExpr { Target: NameExpr target } member || steps.IndexOf(target.Name) is var step && step < 0)
        {
            return null;
        }

        var field = _fields.FindIndex(f => f.Name == member.Name);
        if (field < 0)
        {
            throw target.Pos.Error($"step '{target.Name}' has no column '{member.Name}'{Suggestions.DidYouMean(member.Name, _fields.Select(f => f.Name))}");
        }

        _references.Add((step, field));
        return new NameExpr(member.Pos, ReferenceName(step, field));
    });

    private string ReferenceName(int step, int field) => $"__scan_{_scan.Steps[step].Name}.{_fields[field].Name}";

    // ---- the state ----------------------------------------------------------------------------------

    private static string Active(int k) => Sql.Ident("__a" + Num(k));

    private static string Match(int k) => Sql.Ident("__m" + Num(k));

    private static string Pending(int k) => Sql.Ident("__p" + Num(k));

    private static string Emitted(int k) => Sql.Ident("__o" + Num(k));

    private static string Value(int k, int step, int field) => Sql.Ident($"__s{Num(k)}_{Num(step)}_{Num(field)}");

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private IEnumerable<int> LastSteps() => Enumerable.Range(0, _steps.Count).Where(k => _steps[k].Syntax.Output == "last");

    /// <summary>The state's columns: the last match id, then per step its flag, match id, pending record and values.</summary>
    private List<string> StateColumns()
    {
        var columns = new List<string> { Sql.Ident(LastMatch) };
        for (var k = 0; k < _steps.Count; k++)
        {
            columns.Add(Active(k));
            columns.Add(Match(k));
            if (_steps[k].Syntax.Output == "last")
            {
                columns.Add(Pending(k));
            }

            columns.AddRange(_references.Where(r => r.Step <= k).Select(r => Value(k, r.Step, r.Field)));
        }

        return columns;
    }

    /// <summary>A record: every field, then the match id, as a struct.</summary>
    private static string Record(IEnumerable<string> values, string matchId) =>
        $"struct_pack({string.Join(", ", values.Select((v, i) => $"f{Num(i)} := {v}"))}{(values.Any() ? ", " : "")}fm := {matchId})";

    /// <summary>The first row of the recursion: nothing active, typed nulls (typed by the first input row).</summary>
    private string Anchor()
    {
        var nulls = _fields.Select(f => f.Declared ? $"CAST(NULL AS {KqlTypes.SqlType(f.Type)})" : $"(CASE WHEN FALSE THEN r.{Sql.Ident(f.Name)} END)").ToList();
        var nullRecord = $"(CASE WHEN FALSE THEN {Record(nulls, "NULL::BIGINT")} END)";
        var selects = new List<string> { $"0::BIGINT AS {Sql.Ident(Index)}", $"-1::BIGINT AS {Sql.Ident(LastMatch)}" };
        for (var k = 0; k < _steps.Count; k++)
        {
            selects.Add($"FALSE AS {Active(k)}");
            selects.Add($"NULL::BIGINT AS {Match(k)}");
            if (_steps[k].Syntax.Output == "last")
            {
                selects.Add($"{nullRecord} AS {Pending(k)}");
            }

            selects.AddRange(_references.Where(r => r.Step <= k).Select(r => $"{nulls[r.Field]} AS {Value(k, r.Step, r.Field)}"));
        }

        selects.Add($"list_filter([{nullRecord}], x -> FALSE) AS {Sql.Ident(Outputs)}");
        return $"SELECT {string.Join(", ", selects)} FROM (SELECT * FROM __scan_rows ORDER BY {Sql.Ident(Index)} LIMIT 1) AS r";
    }

    /// <summary>One recursion step: the next row, run through the steps from last to first.</summary>
    private string Iteration()
    {
        var state = StateColumns();
        var carried = new List<string> { Sql.Ident(Index) };
        carried.AddRange(state);
        carried.AddRange(_fields.Select(f => Sql.Ident(f.Name)));
        var row = $"(SELECT {string.Join(", ", state.Select(c => "s." + c))}, r.{Sql.Ident(Index)}"
            + string.Concat(_fields.Select(f => f.Declared ? $", {f.Default} AS {Sql.Ident(f.Name)}" : $", r.{Sql.Ident(f.Name)}"))
            + $" FROM __scan_state AS s JOIN __scan_rows AS r ON r.{Sql.Ident(Index)} = s.{Sql.Ident(Index)} + 1)";
        var current = row;
        for (var k = _steps.Count - 1; k >= 0; k--)
        {
            current = StepLayers(current, k, carried);
            carried.Add(Emitted(k));
        }

        var outputs = string.Join(" || ", Enumerable.Range(0, _steps.Count).Reverse().Select(Emitted));
        return $"SELECT {Sql.Ident(Index)}, {string.Join(", ", state)}, {outputs} AS {Sql.Ident(Outputs)} FROM {current} AS {_binder.NextAlias()}";
    }

    /// <summary>
    /// Step k on the current row: check 1 against the previous step's state, check 2 against its own, then the new
    /// state and the records it outputs.
    /// </summary>
    private string StepLayers(string current, int k, List<string> carried)
    {
        var step = _steps[k];
        var keep = string.Join(", ", carried);

        // Check 1: the previous step's sequence moves to this step.
        var (condition1, values1) = k == 0 ? ("FALSE", step.Assignments.Select(_ => "NULL").ToList()) : BindStep(current, k, k - 1, out current);
        var first = k == 0 ? "FALSE" : $"({Active(k - 1)} AND {condition1})";
        var assigned1 = string.Concat(step.Assignments.Select((a, i) => $", {values1[i]} AS __x1_{Num(a.Field)}"));
        current = $"(SELECT {keep}, {first} AS __c1{assigned1} FROM {current} AS {_binder.NextAlias()})";

        // Check 2: this step's own sequence goes on (the first step may also start one).
        var (condition2, values2) = BindStep(current, k, k, out current);
        var eligible = k == 0 ? "TRUE" : Active(k);
        var assigned2 = string.Concat(step.Assignments.Select((a, i) => $", {values2[i]} AS __x2_{Num(a.Field)}"));
        var assigned1Names = string.Concat(step.Assignments.Select(a => $", __x1_{Num(a.Field)}"));
        current = $"(SELECT {keep}, __c1{assigned1Names}, (NOT __c1 AND {eligible} AND {condition2}) AS __c2{assigned2} FROM {current} AS {_binder.NextAlias()})";

        return $"(SELECT {NewState(k, carried)}, {StepOutputs(k)} AS {Emitted(k)} FROM {current} AS {_binder.NextAlias()})";
    }

    /// <summary>
    /// Binds step k's condition and assignments with its <c>s_j.Column</c> references reading the state of step
    /// <paramref name="stateOf"/> (a layer that defines them is added over <paramref name="current"/>).
    /// </summary>
    private (string Condition, List<string> Values) BindStep(string current, int k, int stateOf, out string layered)
    {
        var references = _references.Select(r =>
        {
            var field = _fields[r.Field];
            var empty = field.Default ?? $"CAST(NULL AS {SqlTypeOf(field)})";
            var sql = r.Step <= stateOf ? $"(CASE WHEN {Active(stateOf)} THEN {Value(stateOf, r.Step, r.Field)} ELSE {empty} END)" : empty;
            return (Sql: sql, Column: new RelColumn(ReferenceName(r.Step, r.Field), field.Type, field.ListElement));
        }).ToList();
        var refs = string.Concat(references.Select(r => $", {r.Sql} AS {r.Column.Ref}"));
        layered = $"(SELECT *{refs} FROM {current} AS {_binder.NextAlias()})";
        var relation = new Relation(layered, [.. _fields.Select(f => f.Column), .. references.Select(r => r.Column)]);
        var ctx = new BindContext(relation, _scope);
        var step = _steps[k];
        var condition = Expressions.RequireBool(Expressions.Bind(step.Condition, ctx), step.Condition.Pos, $"step '{step.Syntax.Name}'");
        var values = step.Assignments.Select(a =>
        {
            var field = _fields[a.Field];
            var value = Expressions.Bind(a.Value, ctx);
            var fits = value.Type == field.Type || value.Type == KqlType.Dynamic || value is { IsConstant: true, Constant: null }
                || (KqlTypes.IsNumeric(value.Type) && KqlTypes.IsNumeric(field.Type));
            if (!fits)
            {
                throw a.Value.Pos.Error($"step '{step.Syntax.Name}' assigns a {KqlTypes.Name(value.Type)} to '{field.Name}', which is {KqlTypes.Name(field.Type)}");
            }

            return $"CAST({Expressions.Convert(value, field.Type, a.Pos).Sql} AS {KqlTypes.SqlType(field.Type)})";
        }).ToList();
        return ($"coalesce({condition.Sql}, FALSE)", values);
    }

    /// <summary>The SQL type of an input field's values, for a typed null.</summary>
    private static string SqlTypeOf(Field field) =>
        field.ListElement is { } element ? KqlTypes.SqlType(element) + "[]" : KqlTypes.SqlType(field.Type);

    /// <summary>The carried columns after step k: its state updated, the previous step's flag cleared on check 1.</summary>
    private string NewState(int k, List<string> carried)
    {
        var matched = "(__c1 OR __c2)";
        var starts = k == 0 ? $"(__c2 AND NOT {Active(0)})" : "FALSE";
        var updates = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Active(k)] = $"({Active(k)} OR {matched})",
            [Match(k)] = MatchId(k),
        };
        if (k == 0)
        {
            updates[Sql.Ident(LastMatch)] = $"(CASE WHEN {starts} THEN {Sql.Ident(LastMatch)} + 1 ELSE {Sql.Ident(LastMatch)} END)";
        }
        else
        {
            updates[Active(k - 1)] = $"({Active(k - 1)} AND NOT __c1)";
        }

        foreach (var (j, f) in _references.Where(r => r.Step <= k))
        {
            updates[Value(k, j, f)] = j < k
                ? $"(CASE WHEN __c1 THEN {Value(k - 1, j, f)} ELSE {Value(k, j, f)} END)"
                : $"(CASE WHEN {matched} THEN {FieldValue(k, f)} ELSE {Value(k, j, f)} END)";
        }

        if (_steps[k].Syntax.Output == "last")
        {
            updates[Pending(k)] = $"(CASE WHEN {matched} THEN {StepRecord(k)} ELSE {Pending(k)} END)";
        }

        if (k > 0 && _steps[k - 1].Syntax.Output == "last")
        {
            updates[Pending(k - 1)] = $"(CASE WHEN __c1 THEN NULL ELSE {Pending(k - 1)} END)";
        }

        return string.Join(", ", carried.Select(c => updates.TryGetValue(c, out var sql) ? $"{sql} AS {c}" : c));
    }

    /// <summary>The match id of step k's sequence after this row: moved from the previous step, or a new one.</summary>
    private string MatchId(int k) => k == 0
        ? $"(CASE WHEN __c2 AND NOT {Active(0)} THEN {Sql.Ident(LastMatch)} + 1 ELSE {Match(0)} END)"
        : $"(CASE WHEN __c1 THEN {Match(k - 1)} ELSE {Match(k)} END)";

    /// <summary>A field of the record step k makes of this row: an input column, or a declared column as assigned (else its default).</summary>
    private string FieldValue(int k, int field)
    {
        var f = _fields[field];
        if (!f.Declared)
        {
            return Sql.Ident(f.Name);
        }

        return _steps[k].Assignments.Any(a => a.Field == field)
            ? $"(CASE WHEN __c1 THEN __x1_{Num(field)} ELSE __x2_{Num(field)} END)"
            : f.Default!;
    }

    private string StepRecord(int k) => Record(Enumerable.Range(0, _fields.Count).Select(f => FieldValue(k, f)), MatchId(k));

    /// <summary>The records step k outputs on this row: pending records whose series ended, then this row's.</summary>
    private string StepOutputs(int k)
    {
        var items = new List<string>();
        if (_steps[k].Syntax.Output == "last")
        {
            items.Add($"(CASE WHEN __c1 THEN {Pending(k)} END)");
        }

        if (k > 0 && _steps[k - 1].Syntax.Output == "last")
        {
            items.Add($"(CASE WHEN __c1 THEN {Pending(k - 1)} END)");
        }

        if (_steps[k].Syntax.Output == "all")
        {
            items.Add($"(CASE WHEN __c1 OR __c2 THEN {StepRecord(k)} END)");
        }

        return items.Count == 0
            ? $"list_filter([{StepRecord(k)}], x -> FALSE)"
            : $"list_filter([{string.Join(", ", items)}], x -> x IS NOT NULL)";
    }

    /// <summary>The pending records of output=last steps at the end of the rows.</summary>
    private string EndOfRows()
    {
        // A later step holds an older sequence, so its record comes first.
        var pending = $"list_filter([{string.Join(", ", LastSteps().Reverse().Select(Pending))}], x -> x IS NOT NULL)";
        return $"SELECT {Sql.Ident(Index)} + 1, unnest({pending}), unnest(range(len({pending}))) FROM __scan_state "
            + $"WHERE {Sql.Ident(Index)} = (SELECT max({Sql.Ident(Index)}) FROM __scan_state)";
    }
}
