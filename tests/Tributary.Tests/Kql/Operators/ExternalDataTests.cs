using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Kql.Binding;

namespace Tributary.Tests.Kql.Operators;

/// <summary>externaldata over files in the data directory's external directory, and the files it refuses.</summary>
public sealed class ExternalDataTests(ExternalDataTests.Files store) : IClassFixture<ExternalDataTests.Files>
{
    /// <summary>A store with files of each format in its external directory, and one file beside it.</summary>
    public sealed class Files : KqlStoreFixture
    {
        public Files()
        {
            External = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "external")).FullName;
            Write("users.csv", "1,alice,2024-01-01T00:00:00Z\n2,bob,\n3,\"c, d\",bad\n");
            Write("header.csv", "id,name\n7,gil\n");
            Write("ragged.csv", "1\n2,x,extra,more\n");
            Write("sub/users.tsv", "5\tt\"ab\n");
            Write("users.txt", "u1\nu2\r\n\nu3\n");
            Write("events.json", "{\"a\": 1, \"b\": \"x\", \"d\": {\"k\": [1, 2]}}\n{\"a\": \"2\", \"c\": true}\n");
            Write("events.multi", "[{\"a\": 3,\n \"b\": \"y\"}, {\"a\": 4}]");
            Write("../tokens.yaml", "secret: admin\n");
            using (var gz = new GZipStream(File.Create(Path.Combine(External, "zipped.csv.gz")), CompressionLevel.Fastest))
            {
                gz.Write(Encoding.UTF8.GetBytes("9,zed\n"));
            }

            using var duck = new DuckDBConnection("Data Source=:memory:");
            duck.Open();
            using var cmd = duck.CreateCommand();
            cmd.CommandText = $"COPY (SELECT 10::BIGINT AS id, 'pq' AS name, TIMESTAMP '2024-02-03 04:05:06' AS at) TO {Sql.String(Path.Combine(External, "rows.parquet"))} (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }

        public string External { get; }

        private void Write(string name, string text)
        {
            var path = Path.Combine(External, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
    }

    [Fact]
    public void Csv_ColumnsByPosition_ValuesConvertOrAreNull()
    {
        var result = store.Run("externaldata (id: long, name: string, at: datetime) [@\"users.csv\"] | sort by id asc");

        Assert.Equal(["id", "name", "at"], result.Names());
        Assert.Equal([1L, "alice", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)], result.Rows[0]);
        Assert.Equal([2L, "bob", null], result.Rows[1]);
        Assert.Equal([3L, "c, d", null], result.Rows[2]);
    }

    [Fact]
    public void Csv_IgnoreFirstRecord_SkipsTheHeader()
    {
        var result = store.Run("externaldata (id: long, name: string) ['header.csv'] with (format='csv', ignoreFirstRecord=true)");

        Assert.Equal([7L, "gil"], result.Rows.Single());
    }

    [Fact]
    public void Csv_MissingFieldsAreNullAndExtraFieldsIgnored()
    {
        var result = store.Run("externaldata (id: long, name: string, n: long) ['ragged.csv'] | sort by id asc");

        Assert.Equal([1L, "", null], result.Rows[0]);
        Assert.Equal([2L, "x", null], result.Rows[1]);
    }

    [Fact]
    public void Tsv_FromTheExtension_InASubdirectory()
    {
        var result = store.Run("externaldata (id: long, name: string) ['sub/users.tsv']");

        Assert.Equal([5L, "t\"ab"], result.Rows.Single());
    }

    [Fact]
    public void Txt_Documented_OneLineARecord_UsableWithIn()
    {
        var lines = store.Run("externaldata (UserID: string) ['users.txt']").Column<string>("UserID");
        var matched = store.Run("datatable(UserID: string, n: long)['u1', 1, 'u9', 2, 'u3', 3] | where UserID in ((externaldata (UserID: string) [@'users.txt'])) | project n");

        Assert.Equal(["u1", "u2", "", "u3"], lines);
        Assert.Equal([1L, 3L], matched.Column<long>("n").Order());
    }

    [Fact]
    public void Json_OneObjectALine_ColumnsByName()
    {
        var result = store.Run("externaldata (a: long, b: string, d: dynamic, c: bool) ['events.json'] | sort by a asc");

        Assert.Equal(1L, result.Rows[0][0]);
        Assert.Equal("x", result.Rows[0][1]);
        Assert.Equal("{\"k\":[1,2]}", QueryResultExtensions.Json(result.Rows[0][2]));
        Assert.Null(result.Rows[0][3]);
        Assert.Equal([2L, "", null, true], result.Rows[1]);
    }

    [Fact]
    public void MultiJson_ArrayOverLines()
    {
        var result = store.Run("externaldata (a: long, b: string) ['events.multi'] with (format='multijson') | sort by a asc");

        Assert.Equal([3L, 4L], result.Column("a"));
        Assert.Equal(["y", ""], result.Column("b"));
    }

    [Fact]
    public void Parquet_ColumnsByName()
    {
        var result = store.Run("externaldata (name: string, id: long, at: datetime, missing: string) ['rows.parquet']");

        Assert.Equal(["pq", 10L, new DateTime(2024, 2, 3, 4, 5, 6, DateTimeKind.Utc), ""], result.Rows.Single());
    }

    [Fact]
    public void GzippedCsv_IsRead() =>
        Assert.Equal([9L, "zed"], store.Run("externaldata (id: long, name: string) ['zipped.csv.gz']").Rows.Single());

    [Fact]
    public void SeveralFiles_AreOneTable()
    {
        var result = store.Run("externaldata (id: long, name: string) ['users.csv', 'zipped.csv.gz'] | count");

        Assert.Equal(4L, result.Single("Count"));
    }

    [Fact]
    public void AbsolutePathAndFileUrl_InsideTheDirectory_AreRead()
    {
        var path = Path.Combine(store.External, "users.txt");

        Assert.Equal(4, store.Run($"externaldata (x: string) [@'{path}']").Rows.Count);
        Assert.Equal(4, store.Run($"externaldata (x: string) ['{new Uri(path).AbsoluteUri}']").Rows.Count);
    }

    [Fact]
    public void FileOutsideTheDirectory_IsRefused()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("externaldata (x: string) ['../tokens.yaml'] with (format='txt')"));

        Assert.Contains("externaldata cannot read '../tokens.yaml': it is outside the directories externaldata may read", error.Message);
        Assert.Equal((1, 27), (error.Line, error.Column));
    }

    [Fact]
    public void DatabaseFile_IsRefused() =>
        Assert.Contains("outside the directories", Assert.Throws<KqlException>(() =>
            store.Run($"externaldata (x: string) [@'{Path.Combine(store.Directory, "tributary.duckdb")}'] with (format='txt')")).Message);

    [Fact]
    public void MissingFile_IsRefused() =>
        Assert.Contains("there is no such file", Assert.Throws<KqlException>(() => store.Run("externaldata (x: string) ['nope.csv']")).Message);

    [Fact]
    public void SymbolicLinkOutOfTheDirectory_IsRefused()
    {
        var link = Path.Combine(store.External, "link-" + Guid.NewGuid().ToString("N") + ".txt");
        File.CreateSymbolicLink(link, Path.Combine(store.Directory, "tokens.yaml"));

        var error = Assert.Throws<KqlException>(() => store.Run($"externaldata (x: string) ['{Path.GetFileName(link)}']"));

        Assert.Contains("reached through a symbolic link", error.Message);
    }

    [Fact]
    public void HttpLocation_IsRefused() =>
        Assert.Contains("reads local files only", Assert.Throws<KqlException>(() =>
            store.Run("externaldata (x: string) [h@'https://storageaccount.blob.core.windows.net/container/users.txt;managed_identity=system']")).Message);

    [Fact]
    public void OtherDirectories_CanBeAllowed_AndNoneRefusesAll()
    {
        var other = Path.Combine(Path.GetTempPath(), "tributary-ext-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "a.txt"), "hello\n");
        var saved = store.Store.ExternalDataDirectories;
        try
        {
            store.Store.ExternalDataDirectories = [other];
            Assert.Equal("hello", store.Run("externaldata (x: string) ['a.txt']").Single("x"));
            Assert.Contains("outside", Assert.Throws<KqlException>(() => store.Run($"externaldata (x: string) [@'{Path.Combine(store.External, "users.txt")}']")).Message);

            store.Store.ExternalDataDirectories = [];
            Assert.Contains("no directory is open to externaldata", Assert.Throws<KqlException>(() => store.Run("externaldata (x: string) ['a.txt']")).Message);
        }
        finally
        {
            store.Store.ExternalDataDirectories = saved;
            System.IO.Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void StoredFunction_WithExternalData_IsRefused() =>
        Assert.Contains("externaldata is not available here", Assert.Throws<KqlException>(() =>
            store.Run(".create-or-alter function Users() { externaldata (x: string) ['users.txt'] }")).Message);
}
