namespace Tributary.Kql.Binding.Functions;

/// <summary>A group of related functions (one family file), titled for docs/kql.md.</summary>
internal sealed record FunctionFamily<T>(string Title, IReadOnlyList<T> Functions)
    where T : BuiltInFunction;
