using DuckDB.NET.Data;
using Tributary.Kql.Binding.Udfs;

namespace Tributary.Store;

/// <summary>Registers the KQL layer's C# scalar functions on one DuckDB connection.</summary>
internal sealed class DuckDbUdfTarget(DuckDBConnection connection) : IUdfTarget
{
    public void Register<TResult>(string name, Func<TResult> function) => connection.RegisterScalarFunction(name, function);

    public void Register<T1, TResult>(string name, Func<T1, TResult> function) => connection.RegisterScalarFunction(name, function);

    public void Register<T1, T2, TResult>(string name, Func<T1, T2, TResult> function) => connection.RegisterScalarFunction(name, function);

    public void Register<T1, T2, T3, TResult>(string name, Func<T1, T2, T3, TResult> function) => connection.RegisterScalarFunction(name, function);

    public void Register<T1, T2, T3, T4, TResult>(string name, Func<T1, T2, T3, T4, TResult> function) => connection.RegisterScalarFunction(name, function);
}
