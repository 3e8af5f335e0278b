using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// sample, sample-distinct and top-hitters: the operators that pick some rows or values.
internal sealed partial class QueryBinder
{
    /// <summary><c>sample N</c>: N rows (all of them when there are fewer) in random order, each row equally likely.</summary>
    private Relation BindSample(Relation input, SampleOperator sample, Scope scope)
    {
        var count = Expressions.ConstantLong(sample.Count, new BindContext(null, scope), "sample");
        return Wrap(input, input.AllSelect, input.Columns, $" ORDER BY random() LIMIT {Sql.Long(count)}", serialized: false);
    }

    /// <summary><c>sample-distinct N of Column</c>: one column of up to N of its distinct values, picked at random.</summary>
    private Relation BindSampleDistinct(Relation input, SampleDistinctOperator sample, Scope scope)
    {
        var count = Expressions.ConstantLong(sample.Count, new BindContext(null, scope), "sample-distinct");
        var column = OfColumn(input, sample.Column, scope, "sample-distinct");
        if (column.Type == KqlType.Dynamic)
        {
            throw sample.Column.Pos.Error($"sample-distinct needs a column of a scalar type, but '{column.Name}' is dynamic");
        }

        var distinct = $"(SELECT DISTINCT {column.Ref} FROM {input.From} AS {NextAlias()})";
        var sql = $"(SELECT {column.Ref} FROM {distinct} AS {NextAlias()} ORDER BY random() LIMIT {Sql.Long(count)})";
        return new Relation(sql, [column with { ListElement = null }]);
    }

    /// <summary>
    /// <c>top-hitters N of Column [by Weight]</c>: Kusto's estimate of <c>summarize count() by Column | top N by count</c>
    /// (or the sum of Weight), computed exactly here. The count column is <c>approximate_count_Column</c>, the sum
    /// <c>approximate_sum_Weight</c>; the rows come most first.
    /// </summary>
    private Relation BindTopHitters(Relation input, TopHittersOperator top, Scope scope)
    {
        var column = OfColumn(input, top.Of, scope, "top-hitters");
        string name;
        CallExpr aggregate;
        if (top.By is { } by)
        {
            var weight = Expressions.Bind(by, new BindContext(input, scope));
            if (!KqlTypes.IsNumeric(weight.Type))
            {
                throw by.Pos.Error($"top-hitters … by needs a number to sum, but this is {KqlTypes.Name(weight.Type)}");
            }

            name = "approximate_sum_" + (ExpressionBinder.DefaultName(by) ?? "");
            aggregate = new CallExpr(by.Pos, "sum", [by]);
        }
        else
        {
            name = "approximate_count_" + column.Name;
            aggregate = new CallExpr(top.Pos, "count", []);
        }

        if (name == column.Name)
        {
            throw top.Pos.Error($"top-hitters would produce column '{name}' twice");
        }

        var summarized = BindSummarize(input, new SummarizeOperator(top.Pos, [new Assignment(name, aggregate, top.Pos)], [new Assignment(null, top.Of, top.Of.Pos)]), scope);
        return BindTop(summarized, new TopOperator(top.Pos, top.Count, new OrderingTerm(new NameExpr(top.Pos, name), Ascending: false, NullsFirst: null)), scope);
    }

    /// <summary>The column an operator's <c>of</c> names: Kusto takes a column there, not an expression.</summary>
    private RelColumn OfColumn(Relation input, Expr expr, Scope scope, string op)
    {
        if (expr is not NameExpr name)
        {
            throw expr.Pos.Error($"{op} takes a column name after 'of' (extend a column first to use an expression)");
        }

        Expressions.Bind(expr, new BindContext(input, scope));
        return input.Find(name.Name) ?? throw expr.Pos.Error($"'{name.Name}' is not a column of the input");
    }
}
