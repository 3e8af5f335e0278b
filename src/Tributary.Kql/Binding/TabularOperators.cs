namespace Tributary.Kql.Binding;

/// <summary>
/// The tabular operators Tributary supports. The parser and <see cref="QueryBinder"/> implement them; this list
/// names them for docs/kql.md and the coverage test (which checks each one translates), so an operator added to
/// the parser is added here too.
/// </summary>
internal static class TabularOperators
{
    public static IReadOnlyList<TabularOperator> All { get; } =
    [
        new("where", "where Predicate", "Keeps the rows where the predicate holds.") { Aliases = ["filter"] },
        new("project", "project Column, Name = Expr, (A, B, …) = F(…), …", "Keeps, renames and computes columns, in that order; a function of several columns (series_fit_line …) gives them all, the first ones named."),
        new("project-away", "project-away Column, Pattern*, …", "Drops columns (wildcards allowed)."),
        new("project-keep", "project-keep Column, Pattern*, …", "Keeps only the columns named (wildcards allowed), in the order they had."),
        new("project-rename", "project-rename NewName = Column, …", "Renames columns."),
        new("project-reorder", "project-reorder Column, Pattern*, …", "Moves the columns named to the front."),
        new("extend", "extend Name = Expr, (A, B, …) = F(…), …", "Adds computed columns (or replaces ones of the same name); (A, B) = takes the first columns of a function of several."),
        new("summarize", "summarize [hint.*] Agg, Name = Agg, … [by Key, Name = bin(T, 1h), …]", "Groups rows and aggregates each group; hints are accepted and ignored."),
        new("sort", "sort by Expr [asc|desc] [nulls first|last], …", "Orders rows; each key descending unless asc is given, as in Kusto.") { Aliases = ["order"] },
        new("top", "top N by Expr [asc|desc] [nulls first|last]", "The first N rows in that order."),
        new("take", "take N", "Any N rows.") { Aliases = ["limit"] },
        new("distinct", "distinct Column, … | distinct *", "One row per distinct combination of the columns."),
        new("count", "count", "One row with the number of rows, in column Count."),
        new("join", "join [kind=…] (Right) on Key, $left.A == $right.B, …", "Joins with another table; kinds innerunique (default), inner, leftouter, rightouter, fullouter, leftanti, rightanti, leftsemi, rightsemi."),
        new("lookup", "lookup [kind=leftouter|inner] (Right) on Key, …", "Adds the columns of a dimension table to each row."),
        new("mv-expand", "mv-expand [with_itemindex=Name] Column [to typeof(T)], …", "One row per element of dynamic arrays (several columns expand in parallel).")
        {
            Aliases = ["mvexpand"],
            Difference = "the limit clause is not supported yet",
        },
        new("make-series", "make-series Agg [default=D], … on Axis [from S] [to E] step T [by Key, …]", "Arrays of aggregates over [S, E) in steps of T (without from/to, the data's range).")
        {
            Difference = "the in range(…) form is not supported yet",
        },
        new("parse", "parse [kind=simple|regex] Expr with \"text\" Column [: type] \"text\" *…", "Extracts columns from text by a pattern; a value that does not match gives \"\" and nulls and keeps the row."),
        new("serialize", "serialize [Name = Expr, …]", "Marks the rows as ordered, so prev(), next() and row_number() can be used."),
        new("as", "as [hint.*] Name", "Names the rows so far for later use in the query (union withsource, …)."),
        new("union", "union [kind=inner|outer] [withsource=Name] Table, Pattern*, (Query), …", "The rows of several tables or queries: kind=outer (the default) keeps every column, kind=inner the common ones."),
        new("getschema", "getschema", "One row per column: ColumnName, ColumnOrdinal, DataType, ColumnType."),
        new("render", "render timechart|linechart|columnchart|barchart|piechart|scatterchart|areachart|table [with (title = \"…\", …)]", "Asks the client to draw the result; must be the last operator.")
        {
            Difference = "of the with (…) properties only title is used",
        },
        new("print", "print Name = Expr, …", "One row of computed values.") { IsSource = true },
        new("range", "range Name from Start to Stop step Step", "One row per value from Start to Stop (inclusive).") { IsSource = true },
        new("datatable", "datatable(Name: type, …) [Value, …]", "Rows written in the query.") { IsSource = true },
    ];
}
