namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Where scalar functions implemented in C# are registered: the engine's connection (the store wraps DuckDB's). A
/// function gets null for a null argument only when its parameter type is nullable; otherwise a null argument gives a
/// null result without a call.
/// </summary>
public interface IUdfTarget
{
    void Register<TResult>(string name, Func<TResult> function);

    void Register<T1, TResult>(string name, Func<T1, TResult> function);

    void Register<T1, T2, TResult>(string name, Func<T1, T2, TResult> function);

    void Register<T1, T2, T3, TResult>(string name, Func<T1, T2, T3, TResult> function);

    void Register<T1, T2, T3, T4, TResult>(string name, Func<T1, T2, T3, T4, TResult> function);
}
