using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

/// <summary>What a name bound by <c>let</c>, a function parameter, <c>as</c> or a query parameter stands for.</summary>
internal abstract record NameBinding;

internal sealed record ScalarBinding(SqlValue Value) : NameBinding;

/// <summary>A tabular <c>let</c>: bound again at each use, in the scope it was defined in.</summary>
internal sealed record TabularBinding(TabularExpr Expr, Scope DefinedIn) : NameBinding;

internal sealed record RelationBinding(Relation Relation) : NameBinding;

internal sealed record FunctionBinding(string Name, IReadOnlyList<FunctionParameter> Parameters, QueryText Body, Scope DefinedIn) : NameBinding;

/// <summary>Lexical scope of names; inner scopes shadow outer ones.</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, NameBinding> _names = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public void Define(string name, NameBinding binding) => _names[name] = binding;

    public NameBinding? Lookup(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._names.TryGetValue(name, out var b))
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>The names a user can write (for "did you mean"): internal ones, which start with '$', are left out.</summary>
    public IEnumerable<string> Names()
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            foreach (var n in s._names.Keys)
            {
                if (!n.StartsWith('$'))
                {
                    yield return n;
                }
            }
        }
    }
}
