using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// Functions that return several columns (series_fit_line, series_decompose …) in extend and project: unnamed or
// with (a, b, …) = they become one column each; under one name, the first column alone.
internal sealed partial class QueryBinder
{
    /// <summary>
    /// The columns an assignment of a several-column function spreads into, as SQL over a hidden struct column that
    /// is added to <paramref name="structs"/> (to be computed once, below the projection); null when the assignment
    /// is an ordinary one.
    /// </summary>
    private static List<(string Name, SqlValue Column)>? SpreadTuple(Assignment a, SqlValue value, Relation input, List<(string Name, SqlValue Value)> structs)
    {
        if (!IsSpread(a, value))
        {
            return null;
        }

        var hidden = HiddenTupleName(input, structs.Count);
        structs.Add((hidden, new SqlValue(value.Tuple!.StructSql, KqlType.Dynamic)));
        return TupleColumns(a, value.Tuple, Sql.Ident(hidden), keepUnnamed: true);
    }

    /// <summary>extend with a several-column function: its struct as a hidden column, then one column per field, the hidden one dropped.</summary>
    private Relation ExtendTuple(Relation input, Assignment a, SqlValue value)
    {
        var hidden = HiddenTupleName(input, 0);
        var withStruct = ApplyExtend(input, [(hidden, new SqlValue(value.Tuple!.StructSql, KqlType.Dynamic))]);
        var spread = ApplyExtend(withStruct, TupleColumns(a, value.Tuple, Sql.Ident(hidden), keepUnnamed: false));
        var kept = spread.Columns.Where(c => c.Name != hidden).ToList();
        return Wrap(spread, string.Join(", ", kept.Select(c => c.Ref)) + spread.HiddenSelect, kept);
    }

    private static bool IsSpread(Assignment a, SqlValue value)
    {
        if (a.TupleNames is not null && value.Tuple is null)
        {
            throw a.Pos.Error("(a, b, …) = needs a function that returns several columns, such as series_fit_line() or series_decompose()");
        }

        return value.Tuple is not null && a.Name is null;
    }

    private static List<(string Name, SqlValue Column)> TupleColumns(Assignment a, SqlTuple tuple, string structSql, bool keepUnnamed) =>
        [.. tuple.Named(a.TupleNames, keepUnnamed, a.Pos).Select(n => (n.Name, new SqlValue(SqlTuple.Field(structSql, n.Field.Name), n.Field.Type) { ListElement = n.Field.ListElement }))];

    private static string HiddenTupleName(Relation input, int index)
    {
        for (var i = index; ; i++)
        {
            var name = "__tuple" + i.ToString(CultureInfo.InvariantCulture);
            if (input.Find(name) is null)
            {
                return name;
            }
        }
    }
}
