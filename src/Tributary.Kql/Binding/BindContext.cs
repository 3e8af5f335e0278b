namespace Tributary.Kql.Binding;

/// <summary>Where a scalar expression is bound: the row's columns (if any), the names in scope, and whether aggregates are allowed.</summary>
internal sealed record BindContext(Relation? Row, Scope Scope)
{
    public bool AllowAggregates { get; init; }

    /// <summary>When set, collects the column names the expression reads (extend uses it to order its assignments).</summary>
    public HashSet<string>? Referenced { get; init; }

    /// <summary>When set, where a window value another window function reads is computed (see <see cref="WindowStages"/>).</summary>
    public WindowStages? Stages { get; init; }
}
