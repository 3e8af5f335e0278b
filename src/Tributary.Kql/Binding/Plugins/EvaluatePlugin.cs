using Tributary.Kql.Binding.Functions;

namespace Tributary.Kql.Binding.Plugins;

/// <summary>
/// A plugin the <c>evaluate</c> operator runs: its name and arguments as Kusto spells them, and how it turns the
/// rows so far into SQL. One sealed subclass per plugin, listed in <see cref="PluginRegistry"/>.
/// </summary>
internal abstract class EvaluatePlugin
{
    /// <summary>The name as Kusto spells it (<c>bag_unpack</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The forms accepted, for docs/kql.md.</summary>
    public abstract string Syntax { get; }

    /// <summary>What it does, in a sentence or two.</summary>
    public abstract string Summary { get; }

    /// <summary>What Tributary accepts or does differently from Kusto; null when nothing.</summary>
    public virtual string? Difference => null;

    /// <summary>How many arguments it takes, positional and named together.</summary>
    public abstract Arity Arity { get; }

    /// <summary>
    /// The names its arguments may also be given by (<c>columnsConflict='keep_source'</c>), in positional order;
    /// empty when every argument is positional.
    /// </summary>
    public virtual IReadOnlyList<string> ParameterNames => [];

    /// <summary>True when it accepts an output schema (<c>: (Name: type, …)</c>) after the call.</summary>
    public virtual bool TakesOutputSchema => false;

    /// <summary>Binds the call: checks its arguments (errors at their positions) and translates it.</summary>
    public abstract Relation Bind(PluginCall call);
}
