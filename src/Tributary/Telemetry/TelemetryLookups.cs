using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace Tributary.Telemetry;

/// <summary>One lookup file written: the table it is for, its path, the ids the batches hold and the rows written.</summary>
public sealed record TelemetryLookupFile(string Table, string Path, int Ids, int Rows);

/// <summary>
/// The denormalizer's lookup tables for generated telemetry (samples/pipelines/telemetry.yaml's <c>Devices</c> and
/// <c>Users</c>), as CSV files to <c>ingest</c>: every device (<c>context.did</c>) and user (<c>actor.id</c>) the batches
/// hold but one in 20, so the denormalizer shows hits and misses, with places and types picked by a hash of the id
/// (the same batches give the same files).
/// </summary>
public static class TelemetryLookups
{
    public const string DevicesFile = "devices.csv";
    public const string UsersFile = "users.csv";

    private static readonly string[] States = ["Karnataka", "Maharashtra", "Tamil Nadu", "Uttar Pradesh", "Rajasthan", "Odisha"];
    private static readonly string[] UserTypes = ["student", "teacher", "parent", "other"];

    /// <summary>
    /// Writes devices.csv and users.csv into <paramref name="directory"/> (each written beside and renamed, so a file
    /// appears whole or not at all); devices first accessed up to 400 days before <paramref name="before"/>. Batches that
    /// are not JSON objects with an events array are skipped.
    /// </summary>
    public static IReadOnlyList<TelemetryLookupFile> Write(IEnumerable<string> batches, string directory, DateTime before)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var devices = new SortedSet<string>(StringComparer.Ordinal);
        var users = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in batches)
        {
            Collect(text, devices, users);
        }

        var deviceRows = Kept(devices).Select(d =>
        {
            var h = Hash(d);
            var state = States[h % (uint)States.Length];
            return $"{d},{state},{state} district {1 + (h / 7 % 5)},India,{before.AddDays(-(int)(h % 400)):yyyy-MM-ddTHH:mm:ssZ}";
        }).ToList();
        var userRows = Kept(users).Select(u =>
        {
            var h = Hash(u);
            return $"{u},{UserTypes[h % (uint)UserTypes.Length]},{States[h / 11 % (uint)States.Length]}";
        }).ToList();
        return
        [
            WriteFile("Devices", Path.Combine(directory, DevicesFile), "DeviceId,State,District,Country,FirstAccess", deviceRows, devices.Count),
            WriteFile("Users", Path.Combine(directory, UsersFile), "UserId,UserType,State", userRows, users.Count),
        ];
    }

    private static void Collect(string text, SortedSet<string> devices, SortedSet<string> users)
    {
        JsonDocument batch;
        try
        {
            batch = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return; // the generator's malformed batches
        }

        using (batch)
        {
            if (batch.RootElement.ValueKind != JsonValueKind.Object || !batch.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var e in events.EnumerateArray())
            {
                if (Text(e, "context", "did") is { } did)
                {
                    devices.Add(did);
                }

                if (Text(e, "actor", "id") is { } user)
                {
                    users.Add(user);
                }
            }
        }
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
