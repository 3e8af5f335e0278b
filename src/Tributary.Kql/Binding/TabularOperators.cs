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
        new("top-nested", "top-nested [N] of [Name =] Expr [with others = Value] by [Name =] Aggregation [asc|desc], top-nested …", "A hierarchy of top values: each level keeps, under each value kept above it, the N values with the largest (asc: smallest) aggregation; two columns per level (the value and aggregated_Name), an others row per level with 'with others', rows in hierarchy order."),
        new("take", "take N", "Any N rows.") { Aliases = ["limit"] },
        new("distinct", "distinct Column, … | distinct *", "One row per distinct combination of the columns."),
        new("count", "count", "One row with the number of rows, in column Count."),
        new("join", "join [kind=…] (Right) on Key, $left.A == $right.B, …", "Joins with another table; kinds innerunique (default), inner, leftouter, rightouter, fullouter, leftanti, rightanti, leftsemi, rightsemi."),
        new("lookup", "lookup [kind=leftouter|inner] (Right) on Key, …", "Adds the columns of a dimension table to each row."),
        new("mv-expand", "mv-expand [with_itemindex=Name] Column [to typeof(T)], … [limit N]", "One row per element of dynamic arrays (several columns expand in parallel).")
        {
            Aliases = ["mvexpand"],
        },
        new("mv-apply", "mv-apply [with_itemindex=Name] [Name =] ArrayExpr [to typeof(T)], … [limit N] on (Subquery)", "Runs the subquery on each row's arrays expanded into a subtable (in array order) and unions the results, with the row's other columns.")
        {
            Aliases = ["mvapply"],
        },
        new("partition", "partition [hint.strategy=native|shuffle|legacy] by Column (Subquery) | … by Column { Query }", "Runs the subquery once per value of the column on the rows with that value (or, with braces, a query that reads the value as a scalar named after the column) and unions the results.")
        {
            Difference = "the strategies run alike (the legacy strategy's limit of 64 values does not apply)",
        },
        new("evaluate", "evaluate [hint.*] Plugin(Arg, Name = Arg, …) [: ([*,] Name: type, …)]", $"Runs a plugin on the rows: {string.Join(", ", Plugins.PluginRegistry.All.Select(p => p.Name))}; an unknown plugin is an error.")
        {
            Difference = "of Kusto's plugins only those listed run (see the plugins below)",
        },
        new("fork", "fork [Name =] (Subquery) [Name =] (Subquery) …", "Runs each subquery on the rows and returns one result table per subquery, named by Name = or a closing as Name; must be the last operator.")
        {
            Difference = "only a query run on its own returns several tables (a job, a view or .set-or-append refuses them)",
        },
        new("facet", "facet by Column, … [with (Subquery)]", "Returns the with subquery's table, then one table per column with its values and their count (count_Column); must be the last operator.")
        {
            Difference = "only a query run on its own returns several tables (a job, a view or .set-or-append refuses them)",
        },
        new("invoke", "invoke Function(Arg, …)", "Calls a tabular function (let or stored) with the rows so far as its first argument."),
        new("make-series", "make-series Agg [default=D], … on Axis [from S] [to E] step T [by Key, …]", "Arrays of aggregates over [S, E) in steps of T (without from/to, the data's range).")
        {
            Difference = "the in range(…) form is not supported yet",
        },
        new("parse", "parse [kind=simple|regex [flags=imsU]] Expr with \"text\" Column [: type] \"text\" *…", "Extracts columns from text by a pattern; a value that does not match (or whose typed column does not convert) gives \"\" and nulls and keeps the row."),
        new("parse-where", "parse-where [kind=simple|regex [flags=imsU]] Expr with \"text\" Column [: type] \"text\" *…", "As parse, but a row whose value does not match (or whose typed column does not convert) is dropped."),
        new("parse-kv", "parse-kv Expr as (Key: type, …) [with (pair_delimiter=\"…\", kv_delimiter=\"…\", quote=\"…\", escape=\"…\", greedy=true | regex=\"…\")]", "One column per key with its value in the text: split by the delimiters, found by a regex's two groups (key, value), or without either at word boundaries; the first appearance of a key counts, a missing key gives \"\" or null.")
        {
            Difference = "without delimiters, a value is one run of letters and digits (or a quoted text)",
        },
        new("scan", "scan [with_match_id = Id] [declare (Name: type [= Default], …)] with (step S [output = all|last|none]: Condition [=> Name = Expr, …]; …)", "Matches the serialized rows against a sequence of steps, with Kusto's matching logic (a step reads earlier steps' values as S.Column); outputs each matching row with the declared columns as assigned, and the match id.")
        {
            Difference = "it runs as a recursive query, one iteration per row (per row of the longest partition inside partition), so it suits thousands to tens of thousands of rows per sequence; only declared columns can be assigned",
        },
        new("serialize", "serialize [Name = Expr, …]", "Marks the rows as ordered, so prev(), next() and row_number() can be used."),
        new("as", "as [hint.*] Name", "Names the rows so far for later use in the query (union withsource, …)."),
        new("union", "union [kind=inner|outer] [withsource=Name] Table, Pattern*, (Query), …", "The rows of several tables or queries: kind=outer (the default) keeps every column, kind=inner the common ones."),
        new("getschema", "getschema", "One row per column: ColumnName, ColumnOrdinal, DataType, ColumnType."),
        new("render", "render timechart|linechart|columnchart|barchart|piechart|scatterchart|areachart|table [with (title = \"…\", …)]", "Asks the client to draw the result; must be the last operator.")
        {
            Difference = "of the with (…) properties only title is used",
        },
        new("sample", "sample N", "N rows picked at random (all of them when there are fewer)."),
        new("sample-distinct", "sample-distinct N of Column", "One column of up to N distinct values of Column, picked at random."),
        new("top-hitters", "top-hitters N of Column [by Weight]", "The N values of Column that occur most often (approximate_count_Column), or whose Weight sums highest (approximate_sum_Weight), most first.")
        {
            Difference = "the counts and sums are exact, where Kusto estimates them",
        },
        new("search", "[T |] search [kind=case_sensitive] [in (Table, Pattern*, (Query), …)] Predicate", "The rows of the input (or of the tables named, or of every table) where the predicate holds, after a $table column naming the table. A bare \"term\" searches every column (has; \"x*\" hasprefix, \"*x\" hassuffix, \"*x*\" contains, \"a*b\" a regex), Column:\"term\" one column, * alone every row; and, or, not(…) and comparisons combine them.")
        {
            Difference = "without in (…), every table and view but the system tables (QueryLog, JobAttempts, …)",
        },
        new("assert-schema", "assert-schema (Column: type, …)", "The rows unchanged when the input has these columns of these types (it may have others); otherwise an error naming the first that differs.")
        {
            Difference = "Kusto does not document assert-schema; Tributary checks its columns when the query is translated",
        },
        new("project-by-names", "project-by-names \"Column\", \"Pattern*\", dynamic([\"Column\", …]), column_names_of(T), …", "Keeps the columns named, in the order named or matched; a name no column has is ignored."),
        new("consume", "consume [decodeblocks=true|false]", "Reads its input and returns none of its rows (the input's columns, no rows)."),
        new("print", "print Name = Expr, …", "One row of computed values.") { IsSource = true },
        new("range", "range Name from Start to Stop step Step", "One row per value from Start to Stop (inclusive), serialized in that order.") { IsSource = true },
        new("datatable", "datatable(Name: type, …) [Value, …]", "Rows written in the query.") { IsSource = true },
        new("externaldata", "externaldata (Name: type, …) [@\"path\", …] [with (format=csv|tsv|psv|scsv|txt|json|multijson|parquet, ignoreFirstRecord=true)]", "Rows read from local files: delimited formats by position, json, multijson and parquet by name, txt a line a row; the format from the file's extension when not given.")
        {
            IsSource = true,
            Difference = "local files only (a path or a file:// URL; http(s) and storage connection strings are refused), read by the process that runs the query — on a server, the server's files — and only inside its allowed directories (by default the data directory's 'external' directory, where a relative path starts; TributaryStore.ExternalDataDirectories changes them); no symbolic links; no ingestionMapping",
        },
        new("find", "find [withsource=Name] [in (Table, Pattern*, (Query), …)] [where] Predicate [project-smart | project Column[: type], …, pack_all()]", "The rows of the tables where the predicate (search's syntax) holds, after a source_ column; project-smart shows the predicate's columns and those every table has and packs the rest into pack_.")
        {
            IsSource = true,
            Difference = "without in (…), every table and view but the system tables",
        },
    ];
}
