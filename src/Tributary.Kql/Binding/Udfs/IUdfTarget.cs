namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Where scalar functions implemented in C# are registered: the engine's connection (the store wraps DuckDB's). The
/// engine passes a null argument through for reference types (strings, lists): their parameters must be nullable and
/// the function must answer null (or a value) for them; for value types a null argument gives a null result without
/// a call. A function never throws on data.
/// </summary>
public interface IUdfTarget
{
    void Register<TResult>(string name, Func<TResult> function);

    void Register<T1, TResult>(string name, Func<T1, TResult> function);

    void Register<T1, T2, TResult>(string name, Func<T1, T2, TResult> function);

    void Register<T1, T2, T3, TResult>(string name, Func<T1, T2, T3, TResult> function);

    void Register<T1, T2, T3, T4, TResult>(string name, Func<T1, T2, T3, T4, TResult> function);
}
