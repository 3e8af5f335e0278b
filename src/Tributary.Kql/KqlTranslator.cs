using Tributary.Kql.Binding;
using Tributary.Kql.Parsing;

namespace Tributary.Kql;

/// <summary>The outcome of translating a KQL query: one read-only DuckDB SELECT and its typed output columns.</summary>
/// <param name="Sql">A single SELECT statement; rows come out in Kusto's order when the query serialized them.</param>
/// <param name="Columns">The visible output columns, in order.</param>
/// <param name="Render">The trailing render operator, if any.</param>
public sealed record Translation(string Sql, IReadOnlyList<KqlColumn> Columns, RenderSpec? Render)
{
    /// <summary>The result table's name, when the query gave one (<c>fork Name = (…)</c>, <c>as Name</c>, facet's column).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The query's further result tables, in order, when it has several (<c>fork</c>, <c>facet</c>; only with
    /// <see cref="TranslationOptions.SeveralTables"/>); empty otherwise. Each is a SELECT of its own.
    /// </summary>
    public IReadOnlyList<Translation> MoreTables { get; init; } = [];
}

/// <summary>Options for one translation.</summary>
/// <param name="NowUtc">The value of <c>now()</c> for the whole query (one now per query).</param>
/// <param name="Parameters">Query parameter values by name (CLR values: string, long, double, bool, DateTime, TimeSpan, Guid).</param>
public sealed record TranslationOptions(DateTime NowUtc, IReadOnlyDictionary<string, object?>? Parameters = null)
{
    /// <summary>
    /// Where the query's text begins in the text the user typed: a control command's body is translated on its
    /// own, and its errors point into the command. Default: <see cref="KqlPosition.Start"/>.
    /// </summary>
    public KqlPosition Origin { get; init; } = KqlPosition.Start;

    /// <summary>
    /// The table a query that starts with '|' reads: a control command's output piped into query operators
    /// (<c>.show tables | where …</c>). Null (the default): a query must name its source.
    /// </summary>
    public string? PipedInput { get; init; }

    /// <summary>
    /// Which files <c>externaldata</c> may read. Null (the default): a query that uses externaldata is refused.
    /// </summary>
    public IExternalDataResolver? ExternalData { get; init; }

    /// <summary>
    /// Reads the data a query's output columns depend on (<c>bag_unpack</c>, <c>pivot</c> without an output schema).
    /// Null (the default): such a query is refused with a hint to write the schema.
    /// </summary>
    public IDataProbe? Probe { get; init; }

    /// <summary>
    /// True when the caller takes a query with several result tables (<c>fork</c>, <c>facet</c>), as a query run on
    /// its own does; false (the default, for jobs, views, <c>.set-or-append</c> …): such a query is refused.
    /// </summary>
    public bool SeveralTables { get; init; }
}

/// <summary>
/// Translates KQL into DuckDB SQL. Pure: reads only the catalog it is given.
/// </summary>
/// <remarks>
/// Every identifier in the output is quoted and every literal escaped, so no user text reaches SQL raw,
/// and the output is always a single SELECT, so a query cannot change data. Errors are
/// <see cref="KqlException"/> with the line and column of the offending text. Thread-safe: each call is independent.
/// </remarks>
public static class KqlTranslator
{
    /// <summary>Translates a query (let statements and one tabular expression).</summary>
    public static Translation Translate(string query, ICatalog catalog, TranslationOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        var parsed = Parser.ParseQuery(query, options.Origin, options.PipedInput);
        if (parsed.Body is null)
        {
            throw new KqlException("the query has no tabular expression to run (only let statements?)", 0, 0);
        }

        var binder = new QueryBinder(catalog, options);
        return binder.BindQuery(parsed);
    }

    /// <summary>
    /// Checks that a function body parses and binds against the catalog; used by <c>.create-or-alter function</c>
    /// before storing it. The body's text begins at <see cref="TranslationOptions.Origin"/>.
    /// </summary>
    public static void ValidateFunction(FunctionDefinition function, ICatalog catalog, TranslationOptions options)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(options);
        var parsed = Parser.ParseFunctionBody(function.Body, options.Origin);
        if (parsed.Body is null)
        {
            var at = parsed.ScalarBody?.Pos;
            throw new KqlException(
                parsed.ScalarBody is null
                    ? $"function '{function.Name}' has no tabular body"
                    : $"function '{function.Name}' returns a scalar; a stored function must return a table (a scalar function can be a let in the query: let f = (a:long) {{ … }};)",
                at?.Line ?? 0, at?.Column ?? 0);
        }

        var binder = new QueryBinder(catalog, options);
        binder.ValidateFunction(function, parsed);
    }
}
