using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// make-series: one row per group with the axis and each aggregate as arrays over [from, to) in steps.
internal sealed partial class QueryBinder
{
    /// <remarks>
    /// Implementation note: rows are aggregated per group and bin index, then a grid of every group × every
    /// index is left-joined to them so empty bins get the default, and each group's values are collected
    /// in index order. Without <c>from</c>/<c>to</c> the data's own first bin and last value bound the axis.
    /// </remarks>
    private Relation BindMakeSeries(Relation input, MakeSeriesOperator op, Scope scope)
    {
        var ctx = new BindContext(input, scope);
        var noRow = new BindContext(null, scope);
        var axis = Expressions.Bind(op.Axis, ctx);
        var axisName = ExpressionBinder.DefaultName(op.Axis) ?? throw op.Axis.Pos.Error("make-series needs a column after 'on'");
        var isTime = axis.Type == KqlType.DateTime;
        if (!isTime && !KqlTypes.IsNumeric(axis.Type))
        {
            throw op.Axis.Pos.Error($"make-series needs a datetime or numeric axis, not {KqlTypes.Name(axis.Type)}");
        }

        var step = Expressions.Bind(op.Step, noRow);
        if (isTime ? step.Type != KqlType.TimeSpan : !KqlTypes.IsNumeric(step.Type))
        {
            throw op.Step.Pos.Error($"make-series step must be {(isTime ? "a timespan" : "a number")}");
        }

        // Positions on the axis as numbers: a datetime's ticks are one already.
        string Pos(string sql) => isTime ? sql : $"CAST({sql} AS DOUBLE)";
        var stepSql = isTime ? $"greatest({step.Sql}, 1)" : $"CAST({step.Sql} AS DOUBLE)";
        var t = NextAlias();
        var start = op.From is { } f ? Pos(Expressions.Convert(Expressions.Bind(f, noRow), axis.Type, f.Pos).Sql)
            : isTime ? $"(SELECT min({Pos(axis.Sql)}) FROM {input.From} AS {t}) // {stepSql} * {stepSql}"
            : $"floor((SELECT min({Pos(axis.Sql)}) FROM {input.From} AS {t}) / {stepSql}) * {stepSql}";
        // Without 'to', the axis ends with the bin that holds the largest value.
        var end = op.To is { } e ? Pos(Expressions.Convert(Expressions.Bind(e, noRow), axis.Type, e.Pos).Sql)
            : isTime ? $"((((SELECT max({Pos(axis.Sql)}) FROM {input.From} AS {NextAlias()}) - ({start})) // {stepSql} + 1) * {stepSql} + ({start}))"
            : $"((floor(((SELECT max({Pos(axis.Sql)}) FROM {input.From} AS {NextAlias()}) - ({start})) / {stepSql}) + 1) * {stepSql} + ({start}))";

        var names = new NameAllocator([]);
        var keys = new List<(string Name, SqlValue Value)>();
        foreach (var by in op.By)
        {
            var value = Expressions.Bind(by.Expr, ctx);
            keys.Add((names.Allocate(by.Name ?? ExpressionBinder.DefaultName(by.Expr) ?? names.AllocateColumn()), value));
        }

        names.Reserve(axisName);
        var aggregates = new List<(string Name, SqlValue Value, string Default)>();
        foreach (var (assignment, def) in op.Aggregates)
        {
            var value = Expressions.Bind(assignment.Expr, ctx with { AllowAggregates = true });
            if (!value.HasAggregate)
            {
                throw assignment.Pos.Error("make-series needs an aggregation (count(), sum(x), avg(x) …)");
            }

            var name = names.Allocate(assignment.Name ?? Aggregates.DefaultName(assignment.Expr) ?? names.AllocateColumn());
            var defaultSql = def is null
                ? (KqlTypes.IsNumeric(value.Type) || value.Type == KqlType.TimeSpan ? Sql.Literal(0L, KqlType.Long) : Sql.Literal(null, value.Type))
                : Expressions.Convert(Expressions.Bind(def, noRow), value.Type, def.Pos).Sql;
            aggregates.Add((name, value, $"CAST({defaultSql} AS {KqlTypes.SqlType(value.Type)})"));
        }

        var keyList = string.Join("", keys.Select(k => $"{k.Value.Sql} AS {Sql.Ident(k.Name)}, "));
        var index = $"CAST(floor(({Pos(axis.Sql)} - s.start) / {stepSql}) AS BIGINT)";
        var bounds = $"(SELECT {start} AS start, {end} AS stop) AS s";
        var filtered = $"{input.From} AS {NextAlias()}, {bounds} WHERE {Pos(axis.Sql)} >= s.start AND {Pos(axis.Sql)} < s.stop";
        var groupBy = string.Join(", ", Enumerable.Range(1, keys.Count + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var agg = $"(SELECT {keyList}{index} AS __i, {string.Join(", ", aggregates.Select(a => $"{a.Value.Sql} AS {Sql.Ident(a.Name)}"))} FROM {filtered} GROUP BY {groupBy})";
        var groups = keys.Count == 0
            ? "(SELECT 1 AS __one)"
            : $"(SELECT DISTINCT {string.Join(", ", keys.Select(k => $"{k.Value.Sql} AS {Sql.Ident(k.Name)}"))} FROM {filtered})";
        var count = $"CAST(ceil((s.stop - s.start) / {stepSql}) AS BIGINT)";
        var grid = $"(SELECT g.*, unnest(range(0, greatest({count}, 0))) AS __i, s.start AS __start FROM {groups} AS g, {bounds})";
        var match = string.Join(" AND ", keys.Select(k => $"a.{Sql.Ident(k.Name)} IS NOT DISTINCT FROM g.{Sql.Ident(k.Name)}").Append("a.__i = g.__i"));
        var wholeAxis = axis.Type is KqlType.Int or KqlType.Long && step.Type is KqlType.Int or KqlType.Long;
        var axisValue = isTime || wholeAxis ? $"CAST(g.__start + g.__i * {stepSql} AS BIGINT)" : $"g.__start + g.__i * {stepSql}";
        var selects = keys.Select(k => $"g.{Sql.Ident(k.Name)}")
            .Append($"list({axisValue} ORDER BY g.__i) AS {Sql.Ident(axisName)}")
            .Concat(aggregates.Select(a => $"list(coalesce(a.{Sql.Ident(a.Name)}, {a.Default}) ORDER BY g.__i) AS {Sql.Ident(a.Name)}"));
        var groupKeys = keys.Count == 0 ? "" : " GROUP BY " + string.Join(", ", keys.Select(k => $"g.{Sql.Ident(k.Name)}"));
        var sql = $"(SELECT {string.Join(", ", selects)} FROM {grid} AS g LEFT JOIN {agg} AS a ON {match}{groupKeys})";

        var columns = keys.Select(k => new RelColumn(k.Name, k.Value.Type))
            .Append(new RelColumn(axisName, KqlType.Dynamic, isTime ? KqlType.DateTime : wholeAxis ? KqlType.Long : KqlType.Real))
            .Concat(aggregates.Select(a => new RelColumn(a.Name, KqlType.Dynamic, a.Value.Type)))
            .ToList();
        return new Relation(sql, columns);
    }
}
