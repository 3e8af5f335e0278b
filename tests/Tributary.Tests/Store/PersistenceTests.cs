using DuckDB.NET.Data;
using Tributary.Store;

namespace Tributary.Tests.Store;

public sealed class PersistenceTests : StoreTestBase
{
    [Fact]
    public void Everything_SurvivesARestart()
    {
        S.Execute(".create table T (a:string, n:long, t:datetime, dy:dynamic)");
        S.Execute(".create table U (g:guid)");
        S.Execute(".create-merge table T (extra:real)");
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\", \"window:1\"]') <|\nx,1,2024-01-01T00:00:00Z,\"{\"\"k\"\":1}\",0.5");
        S.Time.Advance(TimeSpan.FromMinutes(1));
        S.Execute(".ingest inline into table T <|\ny,2");
        S.Execute(".create-or-alter function with (folder='jobs', docstring='doc') f(lo:long = 1) { T | where n > lo }");
        S.Execute(".alter table T policy retention softdelete = 30d");

        var tables = S.Execute(".show tables").Rows;
        var schema = S.Execute(".show table T schema as json").Rows;
        var extents = S.Execute(".show extents").Rows;
        var functions = S.Execute(".show functions").Rows;
        var retention = S.Execute(".show table T policy retention").Rows;
        var rows = S.Dump("T");
        var times = S.Column("T | order by n asc | project it = ingestion_time()", "it");

        S.Reopen();

        Assert.Equal(tables, S.Execute(".show tables").Rows);
        Assert.Equal(schema, S.Execute(".show table T schema as json").Rows);
        Assert.Equal(extents, S.Execute(".show extents").Rows);
        Assert.Equal(functions, S.Execute(".show functions").Rows);
        Assert.Equal(retention, S.Execute(".show table T policy retention").Rows);
        Assert.Equal(rows, S.Dump("T"));
        Assert.Equal(times, S.Column("T | order by n asc | project it = ingestion_time()", "it"));
        Assert.Equal(["y"], S.Column("f()", "a"));
        Assert.Contains("drop-by:a", S.Extents("T")[0].Tags, StringComparison.Ordinal);

        // Tags still work for dropping, retention is still enforced after the restart.
        S.Execute(".drop extents <| .show table T extents | where Tags has 'drop-by:a'");
        Assert.Equal(["y"], S.Column("T", "a"));
        S.Reopen();
        Assert.Equal(["y"], S.Column("T", "a"));
        S.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(0, S.Count("T"));
        S.Reopen();
        Assert.Equal(0, S.Count("T"));
        Assert.Empty(S.Extents("T"));
    }

    [Fact]
    public void DroppedThings_StayDropped()
    {
        S.Execute(".create table T (a:string)");
        S.Execute(".create table U (a:string)");
        S.Execute(".create function f() { U }");
        S.Execute(".drop table T");
        S.Execute(".drop function f");
        S.Reopen();
        Assert.Equal(["U"], S.Column(".show tables", "TableName"));
        Assert.Empty(S.Rows(".show functions"));
    }

    [Fact]
    public void FailedCommand_LeavesNothingBehind_AfterRestart()
    {
        S.Execute(".create table Dst (i:int)");
        S.Execute(".ingest inline into table Dst <|\n1");
        Assert.Throws<StoreException>(() => S.Execute(".append Dst <| print i = 10000000000"));
        Assert.Throws<StoreException>(() => S.Execute(".set-or-append New <| Dst | extend big = tolong(i) + 9223372036854775807"));
        S.Reopen();
        Assert.Equal(["1"], S.Dump("Dst"));
        Assert.Single(S.Extents("Dst"));
        Assert.Equal(["Dst"], S.Column(".show tables", "TableName"));
    }

    /// <summary>
    /// The persisted metadata format: changing it breaks existing data directories, so it is pinned here.
    /// If this fails on purpose, bump the format version and write a migration.
    /// </summary>
    [Fact]
    public void Golden_PersistedMetadataFormat()
    {
        S.Execute(".create table T (a:string, i:int, n:long, r:real, d:decimal, b:bool, t:datetime, ts:timespan, g:guid, dy:dynamic)");
        S.Execute(".alter table T policy retention softdelete = 30d");
        S.Execute(".create-or-alter function with (folder='jobs', docstring='Rows above lo') f(lo:long, s:string = 'x', w:timespan = 1h) { T | where n > lo }");
        S.Execute(".create function g() { T }");
        S.Time.Advance(TimeSpan.FromSeconds(1));
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\", \"window:1\"]') <|\nx");
        S.Store.Dispose();

        using var connection = new DuckDBConnection($"Data Source={Path.Combine(S.Directory, TributaryStore.DatabaseFileName)}");
        connection.Open();

        Assert.Equal(["2"], Query(connection, "SELECT version FROM tributary_meta.format"));
        Assert.Equal(
            [
                "T|" +
                """[{"Name":"a","Type":"String"},{"Name":"i","Type":"Int"},{"Name":"n","Type":"Long"},{"Name":"r","Type":"Real"},""" +
                """{"Name":"d","Type":"Decimal"},{"Name":"b","Type":"Bool"},{"Name":"t","Type":"DateTime"},{"Name":"ts","Type":"TimeSpan"},""" +
                """{"Name":"g","Type":"Guid"},{"Name":"dy","Type":"Dynamic"}]""" +
                "|25920000000000|2024-05-22 10:30:00",
            ],
            Query(connection, "SELECT name, columns_json, retention_ticks, strftime(created_on, '%Y-%m-%d %H:%M:%S') FROM tributary_meta.tables"));
        Assert.Equal(
            [
                "f|" +
                """[{"Name":"lo","Type":"Long","Default":null},{"Name":"s","Type":"String","Default":"\u0027x\u0027"},{"Name":"w","Type":"TimeSpan","Default":"1h"}]""" +
                "|T | where n > lo|jobs|Rows above lo",
                "g|[]|T||",
            ],
            Query(connection, "SELECT name, parameters_json, body, folder, doc_string FROM tributary_meta.functions ORDER BY name"));
        Assert.Equal(
            ["T|1|2024-05-22 10:30:01|VARCHAR[]|drop-by:a;window:1"],
            Query(connection, "SELECT table_name, row_count, strftime(created_on, '%Y-%m-%d %H:%M:%S'), typeof(tags), array_to_string(tags, ';') FROM tributary_meta.extents"));
        Assert.Equal(
            ["x|1|2024-05-22 10:30:01"],
            Query(connection, "SELECT a, count(DISTINCT __extent_id), strftime(make_timestamp(__ingestion_time // 10 - 62135596800000000), '%Y-%m-%d %H:%M:%S') FROM \"T\" GROUP BY ALL"));
        Assert.Equal(["t|BIGINT", "__ingestion_time|BIGINT"], Query(connection, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'T' AND column_name IN ('t', '__ingestion_time') ORDER BY ordinal_position"));
    }

    [Fact]
    public void Format1Store_ItsDatetimesBecomeTicks_WhenOpened()
    {
        S.Execute(".create table T (a:string, t:datetime)");
        S.Execute(".ingest inline into table T <|\nx,2024-01-02T03:04:05.123456Z\ny,");
        var ingested = S.Scalar("T | take 1 | project ingestion_time()");
        S.Store.Dispose();

        // What format 1 wrote: TIMESTAMP columns (microseconds) and version 1.
        using (var connection = new DuckDBConnection($"Data Source={Path.Combine(S.Directory, TributaryStore.DatabaseFileName)}"))
        {
            connection.Open();
            foreach (var sql in new[]
            {
                "ALTER TABLE \"T\" ALTER COLUMN t SET DATA TYPE TIMESTAMP USING make_timestamp(t // 10 - 62135596800000000)",
                "ALTER TABLE \"T\" ALTER COLUMN __ingestion_time SET DATA TYPE TIMESTAMP USING make_timestamp(__ingestion_time // 10 - 62135596800000000)",
                "UPDATE tributary_meta.format SET version = 1",
            })
            {
                Query(connection, sql);
            }
        }

        S.Reopen();

        Assert.Equal([new DateTime(2024, 1, 2, 3, 4, 5, 123, 456, DateTimeKind.Utc), null], S.Column("T | order by a asc", "t"));
        Assert.Equal(ingested, S.Scalar("T | take 1 | project ingestion_time()"));
        Assert.Equal(1L, S.Scalar("T | where t between (datetime(2024-01-02) .. 1d) | count"));
        S.Store.Dispose();
        using var check = new DuckDBConnection($"Data Source={Path.Combine(S.Directory, TributaryStore.DatabaseFileName)}");
        check.Open();
        Assert.Equal(["2"], Query(check, "SELECT version FROM tributary_meta.format"));
    }

    private static List<string> Query(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
