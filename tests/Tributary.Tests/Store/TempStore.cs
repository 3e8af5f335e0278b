using Microsoft.Extensions.Time.Testing;
using Tributary.Kql;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Tests.Store;

/// <summary>
/// A real DuckDB-backed store in a fresh temporary data directory, with a fake clock.
/// Disposing closes the store and deletes the directory.
/// </summary>
internal sealed class TempStore : IDisposable
{
    /// <summary>The fake clock's start: every test ingests at this instant unless it advances the clock.</summary>
    public static readonly DateTimeOffset T0 = new(2024, 5, 22, 10, 30, 0, TimeSpan.Zero);

    public TempStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "tributary-store-tests", Guid.NewGuid().ToString("N"));
        Time = new FakeTimeProvider(T0);
        Store = TributaryStore.Open(Directory, Time);
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public TributaryStore Store { get; private set; }

    public QueryResult Execute(string text) => Store.Execute(text);

    /// <summary>Runs a query and returns its rows.</summary>
    public IReadOnlyList<object?[]> Rows(string query) => Store.Execute(query).Rows;

    /// <summary>Runs a query and returns the values of one column.</summary>
    public List<object?> Column(string query, string column)
    {
        var result = Store.Execute(query);
        var index = result.IndexOf(column);
        Assert.True(index >= 0, $"no column '{column}' in [{string.Join(", ", result.Columns.Select(c => c.Name))}]");
        return result.Rows.Select(r => r[index]).ToList();
    }

    /// <summary>The single value of a query returning one row and one column.</summary>
    public object? Scalar(string query)
    {
        var result = Store.Execute(query);
        var row = Assert.Single(result.Rows);
        return Assert.Single(row);
    }

    public long Count(string table) => (long)Scalar($"{table} | count")!;

    /// <summary>The rows of a table as text lines "a|b|…", sorted, for whole-table comparisons.</summary>
    public List<string> Dump(string table)
    {
        var result = Store.Execute(table);
        return result.Rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "null",
            DateTime d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }))).Order(StringComparer.Ordinal).ToList();
    }

    public List<(Guid Id, long Rows, string Tags)> Extents(string table)
    {
        var result = Store.Execute($".show table {table} extents");
        int id = result.IndexOf("ExtentId"), rows = result.IndexOf("RowCount"), tags = result.IndexOf("Tags");
        return result.Rows.Select(r => ((Guid)r[id]!, (long)r[rows]!, (string)r[tags]!)).ToList();
    }

    /// <summary>Closes the store and opens the same directory again (a process restart).</summary>
    public void Reopen()
    {
        Store.Dispose();
        Store = TributaryStore.Open(Directory, Time);
    }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Base class: one fresh store per test.</summary>
public abstract class StoreTestBase : IDisposable
{
    private protected StoreTestBase() => S = new TempStore();

    private protected TempStore S { get; }

    public void Dispose() => S.Dispose();

    /// <summary>Asserts that running <paramref name="text"/> throws a StoreException or KqlException whose message contains every fragment.</summary>
    private protected Exception Fails(string text, params string[] fragments)
    {
        var e = Record.Exception(() => S.Execute(text));
        Assert.NotNull(e);
        Assert.True(e is StoreException or KqlException, $"expected StoreException or KqlException, got {e.GetType().Name}: {e.Message}");
        foreach (var f in fragments)
        {
            Assert.Contains(f, e.Message, StringComparison.Ordinal);
        }

        return e;
    }
}
