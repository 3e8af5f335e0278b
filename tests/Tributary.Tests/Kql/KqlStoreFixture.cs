using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Tests.Kql;

/// <summary>
/// A real store in a fresh temp directory, shared by the tests of one class and deleted after them.
/// The clock is fixed so <c>now()</c> and <c>ago()</c> are exact.
/// </summary>
public class KqlStoreFixture : IDisposable
{
    /// <summary>The store's <c>now()</c>: whole seconds, so no precision is lost in DuckDB.</summary>
    public static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    public KqlStoreFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "tributary-kql-" + Guid.NewGuid().ToString("N"));
        Store = TributaryStore.Open(Directory, new FakeTimeProvider(new DateTimeOffset(Now)));
    }

    public string Directory { get; }

    public TributaryStore Store { get; }

    /// <summary>Runs a query or a control command.</summary>
    public QueryResult Run(string text) => Store.Execute(text);

    /// <summary>The value of <c>print r = expression</c> (constants may be folded by the translator).</summary>
    public object? Print(string expression) => Run($"print r = {expression}").Single("r");

    /// <summary>The expression over a one-row datatable column <c>v</c> of the type, so the translator cannot fold it.</summary>
    public object? OnColumn(string type, string value, string expression) =>
        Run($"datatable(v:{type})[{value}] | project r = {expression}").Single("r");

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

/// <summary>Reading values out of a <see cref="QueryResult"/>.</summary>
public static class QueryResultExtensions
{
    public static IReadOnlyList<string> Names(this QueryResult result) => result.Columns.Select(c => c.Name).ToList();

    public static IReadOnlyList<object?> Column(this QueryResult result, string name)
    {
        var index = result.IndexOf(name);
        Assert.True(index >= 0, $"no column '{name}' in [{string.Join(", ", result.Names())}]");
        return result.Rows.Select(r => r[index]).ToList();
    }

    public static IReadOnlyList<T?> Column<T>(this QueryResult result, string name) =>
        result.Column(name).Select(v => v is null ? default : (T)v).ToList();

    /// <summary>The value of a column in a one-row result.</summary>
    public static object? Single(this QueryResult result, string name)
    {
        Assert.Single(result.Rows);
        return result.Column(name)[0];
    }

    /// <summary>A dynamic value's JSON, normalized (no whitespace) for comparison.</summary>
    public static string Json(object? value)
    {
        Assert.IsType<string>(value);
        using var doc = JsonDocument.Parse((string)value);
        return JsonSerializer.Serialize(doc.RootElement);
    }

    public static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) =>
        new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    public static string Text(object? value) => value is null ? "<null>" : Convert.ToString(value, CultureInfo.InvariantCulture)!;
}
