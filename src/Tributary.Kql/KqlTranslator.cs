using Tributary.Kql.Binding;
using Tributary.Kql.Parsing;

namespace Tributary.Kql;

/// <summary>The outcome of translating a KQL query: one read-only DuckDB SELECT and its typed output columns.</summary>
/// <param name="Sql">A single SELECT statement; rows come out in Kusto's order when the query serialized them.</param>
/// <param name="Columns">The visible output columns, in order.</param>
/// <param name="Render">The trailing render operator, if any.</param>
public sealed record Translation(string Sql, IReadOnlyList<KqlColumn> Columns, RenderSpec? Render);

/// <summary>Options for one translation.</summary>
/// <param name="NowUtc">The value of <c>now()</c> for the whole query (one now per query).</param>
/// <param name="Parameters">Query parameter values by name (CLR values: string, long, double, bool, DateTime, TimeSpan, Guid).</param>
public sealed record TranslationOptions(DateTime NowUtc, IReadOnlyDictionary<string, object?>? Parameters = null);

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
        var parsed = Parser.ParseQuery(query);
        if (parsed.Body is null)
        {
            throw new KqlException("the query has no tabular expression to run (only let statements?)", 0, 0);
        }

        var binder = new QueryBinder(catalog, options);
        return binder.BindQuery(parsed);
    }

    /// <summary>Checks that a function body parses; used by <c>.create-or-alter function</c> before storing it.</summary>
    public static void ValidateFunction(FunctionDefinition function, ICatalog catalog, TranslationOptions options)
    {
        var parsed = Parser.ParseQuery(function.Body);
        if (parsed.Body is null)
        {
            throw new KqlException($"function '{function.Name}' has no tabular body", 0, 0);
        }

        var binder = new QueryBinder(catalog, options);
        binder.ValidateFunction(function, parsed);
    }
}
