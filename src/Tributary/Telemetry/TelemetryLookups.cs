using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace Tributary.Telemetry;

/// <summary>One lookup file written: the table it is for, its path, the ids the batches hold and the rows written.</summary>
public sealed record TelemetryLookupFile(string Table, string Path, int Ids, int Rows);

/// <summary>
/// The denormalizer's lookup tables for generated telemetry (samples/pipelines/telemetry.yaml's <c>Devices</c> and
/// <c>Users</c>), as CSV files to <c>ingest</c>: every device (<c>context.did</c>) and user (<c>actor.id</c>) of the
/// batches <see cref="Add"/>ed but one in 20, so the denormalizer shows hits and misses, with places and types picked by
/// a hash of the id (the same batches give the same files). Not thread-safe.
/// </summary>
public sealed class TelemetryLookups
{
    public const string DevicesFile = "devices.csv";
    public const string UsersFile = "users.csv";

    private static readonly string[] States = ["Karnataka", "Maharashtra", "Tamil Nadu", "Uttar Pradesh", "Rajasthan", "Odisha"];
    private static readonly string[] UserTypes = ["student", "teacher", "parent", "other"];

    private readonly SortedSet<string> _devices = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _users = new(StringComparer.Ordinal);

    /// <summary>Takes the devices and users of one batch; a batch that is not a JSON object with an events array adds nothing.</summary>
    public void Add(string batch)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(batch);
        }
        catch (JsonException)
        {
            return; // the generator's malformed batches
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var e in events.EnumerateArray())
            {
                if (Text(e, "context", "did") is { } did)
                {
                    _devices.Add(did);
                }

                if (Text(e, "actor", "id") is { } user)
                {
                    _users.Add(user);
                }
            }
        }
    }

    /// <summary>
    /// Writes devices.csv and users.csv into <paramref name="directory"/> (each written beside and renamed, so a file
    /// appears whole or not at all); devices first accessed up to 400 days before <paramref name="before"/>.
    /// </summary>
    public IReadOnlyList<TelemetryLookupFile> Write(string directory, DateTime before)
    {
        var deviceRows = Kept(_devices).Select(d =>
        {
            var h = Hash(d);
            var state = States[h % (uint)States.Length];
            return $"{d},{state},{state} district {1 + (h / 7 % 5)},India,{before.AddDays(-(int)(h % 400)):yyyy-MM-ddTHH:mm:ssZ}";
        }).ToList();
        var userRows = Kept(_users).Select(u =>
        {
            var h = Hash(u);
            return $"{u},{UserTypes[h % (uint)UserTypes.Length]},{States[h / 11 % (uint)States.Length]}";
        }).ToList();
        return
        [
            WriteFile("Devices", Path.Combine(directory, DevicesFile), "DeviceId,State,District,Country,FirstAccess", deviceRows, _devices.Count),
            WriteFile("Users", Path.Combine(directory, UsersFile), "UserId,UserType,State", userRows, _users.Count),
        ];
    }

    /// <summary>A string field of an object field, when both are there; ids with a comma, quote or line break are left out (plain CSV).</summary>
    private static string? Text(JsonElement e, string outer, string inner) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(outer, out var o) && o.ValueKind == JsonValueKind.Object &&
        o.TryGetProperty(inner, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s && s.IndexOfAny([',', '"', '\r', '\n']) < 0
            ? s
            : null;

    private static IEnumerable<string> Kept(SortedSet<string> ids) => ids.Where((_, i) => i % 20 != 19);

    private static uint Hash(string id) => XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id));

    private static TelemetryLookupFile WriteFile(string table, string path, string header, List<string> rows, int ids)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllLines(temporary, [header, .. rows], new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new TelemetryLookupFile(table, path, ids, rows.Count);
    }
}
