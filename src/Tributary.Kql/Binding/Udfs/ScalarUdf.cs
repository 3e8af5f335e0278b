namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// A scalar function the translated SQL calls by <see cref="Name"/> (always <c>kql_…</c>) and C# implements, for what
/// the engine has no function of its own with Kusto's semantics. Every connection gets every one
/// (<see cref="UdfCatalog.RegisterAll"/>).
/// </summary>
public abstract class ScalarUdf
{
    protected ScalarUdf(string name)
    {
        if (!name.StartsWith("kql_", StringComparison.Ordinal))
        {
            throw new ArgumentException($"a KQL UDF's name starts with 'kql_', not '{name}'", nameof(name));
        }

        Name = name;
    }

    public string Name { get; }

    /// <summary>Registers the function with <paramref name="target"/>.</summary>
    public abstract void Register(IUdfTarget target);

    public static ScalarUdf Create<TResult>(string name, Func<TResult> function) => new Udf0<TResult>(name, function);

    public static ScalarUdf Create<T1, TResult>(string name, Func<T1, TResult> function) => new Udf1<T1, TResult>(name, function);

    public static ScalarUdf Create<T1, T2, TResult>(string name, Func<T1, T2, TResult> function) => new Udf2<T1, T2, TResult>(name, function);

    public static ScalarUdf Create<T1, T2, T3, TResult>(string name, Func<T1, T2, T3, TResult> function) => new Udf3<T1, T2, T3, TResult>(name, function);

    public static ScalarUdf Create<T1, T2, T3, T4, TResult>(string name, Func<T1, T2, T3, T4, TResult> function) => new Udf4<T1, T2, T3, T4, TResult>(name, function);

    private sealed class Udf0<TResult>(string name, Func<TResult> function) : ScalarUdf(name)
    {
        public override void Register(IUdfTarget target) => target.Register(Name, function);
    }

    private sealed class Udf1<T1, TResult>(string name, Func<T1, TResult> function) : ScalarUdf(name)
    {
        public override void Register(IUdfTarget target) => target.Register(Name, function);
    }

    private sealed class Udf2<T1, T2, TResult>(string name, Func<T1, T2, TResult> function) : ScalarUdf(name)
    {
        public override void Register(IUdfTarget target) => target.Register(Name, function);
    }

    private sealed class Udf3<T1, T2, T3, TResult>(string name, Func<T1, T2, T3, TResult> function) : ScalarUdf(name)
    {
        public override void Register(IUdfTarget target) => target.Register(Name, function);
    }

    private sealed class Udf4<T1, T2, T3, T4, TResult>(string name, Func<T1, T2, T3, T4, TResult> function) : ScalarUdf(name)
    {
        public override void Register(IUdfTarget target) => target.Register(Name, function);
    }
}
