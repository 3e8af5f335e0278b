namespace Tributary.Kql.Binding.Plugins;

/// <summary>The plugins <c>evaluate</c> runs. A new plugin is one class and one line in <see cref="All"/>.</summary>
internal static class PluginRegistry
{
    public static IReadOnlyList<EvaluatePlugin> All { get; } =
    [
        new BagUnpackPlugin(),
        new NarrowPlugin(),
        new PivotPlugin(),
    ];

    // Kusto's other plugins: named in the error as not supported rather than unknown.
    private static readonly HashSet<string> KustoPlugins = new(StringComparer.Ordinal)
    {
        "active_users_count", "activity_counts_metrics", "activity_engagement", "activity_metrics", "autocluster",
        "azure_digital_twins_query_request", "basket", "cosmosdb_sql_request", "dcount_intersect", "diffpatterns",
        "diffpatterns_text", "funnel_sequence", "funnel_sequence_completion", "http_request", "http_request_post",
        "infer_storage_schema", "ipv4_lookup", "ipv6_lookup", "mysql_request", "new_activity_metrics",
        "postgresql_request", "preview", "python", "r", "rolling_percentile", "rows_near", "schema_merge",
        "sequence_detect", "session_count", "sliding_window_counts", "sql_request",
    };

    private static readonly Dictionary<string, EvaluatePlugin> ByName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The plugin named <paramref name="name"/>; an unknown name is an error at <paramref name="pos"/> with a hint.</summary>
    public static EvaluatePlugin Find(string name, Syntax.SourcePosition pos)
    {
        if (ByName.TryGetValue(name, out var plugin))
        {
            return plugin;
        }

        var supported = $"(supported: {string.Join(", ", All.Select(p => p.Name))})";
        throw KustoPlugins.Contains(name)
            ? pos.Error($"the plugin '{name}' is not supported yet {supported}")
            : pos.Error($"unknown plugin '{name}'{Suggestions.DidYouMean(name, ByName.Keys)} {supported}");
    }
}
