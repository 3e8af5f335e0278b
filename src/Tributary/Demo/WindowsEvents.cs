using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tributary.Demo;

/// <summary>
/// <c>WindowsEvent</c> rows: a steady stream of ordinary events on every host over the last two days,
/// host-agent stop/start pairs around each build change, and host-agent crashes while a host runs the
/// bad build. A few hosts that never emit a snapshot log events too, so an as-of join drops them.
/// Timestamps are unique per host.
/// </summary>
internal static class WindowsEvents
{
    private const double EventsPerHour = 14;
    private const double CrashesPerHour = 4;

    private static readonly IReadOnlyList<string> Services =
        ["Windows Update", "Hyper-V Virtual Machine Management", "Background Intelligent Transfer Service", "Windows Modules Installer", "WinRM"];

    private static readonly IReadOnlyList<string> DnsNames =
        ["wpad.fabric.core.windows.net", "azsec-prod.blob.core.windows.net", "md-gcs.metrics.azure.com"];

    // Implementation note: messages are built once per service, not per event — 10^5 rows sharing a
    // few dozen strings keep the garbage collector from promoting 10^5 copies.
    private static readonly IReadOnlyList<string> Running = Services.Select(s => $"The {s} service entered the running state.").ToArray();
    private static readonly IReadOnlyList<string> Stopped = Services.Select(s => $"The {s} service entered the stopped state.").ToArray();
    private static readonly IReadOnlyList<string> StartTypeChanged = Services.Select(s => $"The start type of the {s} service was changed from demand start to auto start.").ToArray();
    private static readonly IReadOnlyList<string> Heartbeats = Services.Select(s => $"The \"{s}\" service reported: heartbeat ok, state \"healthy\".").ToArray();
    private static readonly IReadOnlyList<string> Terminated = Services.Select(s => $"The {s} service terminated unexpectedly.  It has done this 1 time(s).  The following corrective action will be taken in 60000 milliseconds: Restart the service.").ToArray();
    private static readonly IReadOnlyList<string> DnsTimeouts = DnsNames.Select(n => $"Name resolution for the name {n} timed out after none of the configured DNS servers responded.").ToArray();
    private static readonly Dictionary<int, object> BoxedIds = new[] { 4, 41, 129, 1000, 1014, 6008, 7031, 7036, 7040, 10016 }.ToDictionary(id => id, id => (object)id);

    private static readonly IReadOnlyList<(int Kind, double Weight)> Kinds =
        [(0, 40), (1, 12), (2, 18), (3, 8), (4, 6), (5, 5), (6, 3), (7, 1), (8, 0.5)];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<object?[]> Generate(Fleet fleet, DateTime now, Random rng)
    {
        var start = now - Fleet.History;
        var rows = new List<object?[]>((int)(fleet.Hosts.Count * Fleet.History.TotalHours * (EventsPerHour + 1)));
        var events = new List<Event>();
        var hostIds = fleet.Hosts.Select(h => (h.Id, Host: (FleetHost?)h)).Concat(fleet.UnregisteredHostIds.Select(id => (id, Host: (FleetHost?)null)));
        foreach (var (hostId, host) in hostIds)
        {
            events.Clear();
            for (var t = start + DemoRandom.Exponential(rng, EventsPerHour); t < now; t += DemoRandom.Exponential(rng, EventsPerHour))
            {
                events.Add(Ordinary(rng, t));
            }

            if (host is not null)
            {
                foreach (var (at, build) in host.BuildChanges)
                {
                    var stopped = at - DemoRandom.Span(rng, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
                    var started = at + DemoRandom.Span(rng, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
                    if (stopped >= start && started < now)
                    {
                        events.Add(new Event(stopped, 7036, "Information", "The Host Agent service entered the stopped state."));
                        events.Add(new Event(started, 7036, "Information", "The Host Agent service entered the running state."));
                    }
                }

                var crashes = 0;
                for (var t = start + DemoRandom.Exponential(rng, CrashesPerHour); t < now; t += DemoRandom.Exponential(rng, CrashesPerHour))
                {
                    if (host.BuildAt(t) == fleet.BadBuild)
                    {
                        crashes++;
                        events.Add(new Event(t, 7031, "Error",
                            $"The Host Agent service terminated unexpectedly.  It has done this {crashes} time(s).  The following corrective action will be taken in 60000 milliseconds: Restart the service."));
                        events.Add(new Event(t - TimeSpan.FromMilliseconds(rng.Next(200, 2000)), 1000, "Error",
                            $"Faulting application name: \"HostAgent.exe\", version: 2.7.{crashes % 9}, faulting module name: \"ntdll.dll\", exception code: 0xc0000374"));
                    }
                }
            }

            DemoRandom.SortUnique(events, e => e.At, (e, t) => e with { At = t });
            foreach (var e in events)
            {
                rows.Add([e.At, hostId, Boxed(e.EventId), e.Level, e.Message]);
            }
        }

        DemoRandom.SortByTime(rows, 0);
        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Event Ordinary(Random rng, DateTime t)
    {
        var service = rng.Next(Services.Count);
        return DemoRandom.Weighted(rng, Kinds) switch
        {
            0 => new Event(t, 7036, "Information", rng.Next(2) == 0 ? Running[service] : Stopped[service]),
            1 => new Event(t, 7040, "Information", StartTypeChanged[service]),
            2 => new Event(t, 10016, "Warning",
                @"The application-specific permission settings do not grant Local Activation permission for the COM Server application with CLSID {2593F8B9-4EAF-457C-B68A-50F6B8EA6B54} and APPID {15C20B67-12E7-4BB6-92BB-7AFF07997402} to the user NT AUTHORITY\LOCAL SERVICE SID (S-1-5-19) from address LocalHost (Using LRPC)."),
            3 => new Event(t, 1014, "Warning", DnsTimeouts[rng.Next(DnsTimeouts.Count)]),
            4 => new Event(t, 129, "Warning", @"Reset to device, \Device\RaidPort0, was issued."),
            5 => new Event(t, 4, "Information", Heartbeats[service]),
            6 => new Event(t, 7031, "Error", Terminated[service]),
            7 => new Event(t, 6008, "Error", string.Create(CultureInfo.InvariantCulture, $"The previous system shutdown at {t.AddMinutes(-rng.Next(2, 30)):h:mm:ss tt} on {t:M/d/yyyy} was unexpected.")),
            _ => new Event(t, 41, "Critical", "The system has rebooted without cleanly shutting down first. This error could be caused if the system stopped responding, crashed, or lost power unexpectedly."),
        };
    }

    /// <summary>The boxed event id, shared: a row holds the same few ids many thousand times.</summary>
    private static object Boxed(int eventId) => BoxedIds.TryGetValue(eventId, out var boxed) ? boxed : eventId;

    private readonly record struct Event(DateTime At, int EventId, string Level, string Message);
}
