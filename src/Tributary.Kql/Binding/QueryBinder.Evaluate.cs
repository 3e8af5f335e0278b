using Tributary.Kql.Binding.Plugins;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// evaluate: plugins from the registry, and the data probe for output columns that depend on the data.
internal sealed partial class QueryBinder
{
    private Relation BindEvaluate(Relation input, EvaluateOperator evaluate, Scope scope)
    {
        var plugin = PluginRegistry.Find(evaluate.Plugin, evaluate.PluginPos);
        return plugin.Bind(new PluginCall(evaluate, plugin, input, scope, this));
    }

    /// <summary>summarize, for operators and plugins that build one from syntax of their own (pivot, top-nested).</summary>
    public Relation Summarize(Relation input, SummarizeOperator summarize, Scope scope) => BindSummarize(input, summarize, scope);

    /// <summary>
    /// Runs <paramref name="sql"/> through the translation's <see cref="IDataProbe"/> to learn output columns that
    /// depend on the data. Without a probe, or inside a subquery that depends on its enclosing row, it is an error at
    /// <paramref name="pos"/> that asks for an output schema.
    /// </summary>
    public IReadOnlyList<string?[]> Probe(string sql, SourcePosition pos, string what)
    {
        if (InCorrelatedSubquery)
        {
            throw pos.Error($"{what} inside mv-apply or partition needs an output schema, as its columns cannot depend on each part's data: {what}(…) : (Name: type, …)");
        }

        if (_options.Probe is not { } probe)
        {
            throw pos.Error($"{what} needs the data to know its columns, which cannot be read here; give an output schema: {what}(…) : (Name: type, …)");
        }

        return probe.Query(sql);
    }
}
