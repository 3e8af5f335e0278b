namespace Tributary.Kql.Binding.Functions;

/// <summary>Where a built-in name comes from: it decides whether coverage counts it and how docs/kql.md lists it.</summary>
internal enum FunctionOrigin
{
    /// <summary>A Kusto function or aggregate (a current or a deprecated name).</summary>
    Kusto,

    /// <summary>A Tributary addition Kusto does not have; docs/kql.md marks it as one.</summary>
    Extension,

    /// <summary>The binding of the infix operator of the same name (<c>x has_any ("a", "b")</c>): callable, but not listed as a function.</summary>
    Operator,
}
