using System.Runtime.CompilerServices;

namespace Tributary.Demo;

/// <summary>
/// <c>HostServiceSnapshot</c> rows: each host reports its build hourly (at its own phase) over the last
/// two days and again at every build change, except while its agent is silent (its snapshot gap).
/// </summary>
internal static class HostServiceSnapshots
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<object?[]> Generate(Fleet fleet, DateTime now, Random rng)
    {
        var start = now - Fleet.History;
        var hours = (int)Fleet.History.TotalHours;
        var rows = new List<object?[]>(fleet.Hosts.Count * (hours + 4));
        var times = new List<DateTime>();
        foreach (var host in fleet.Hosts)
        {
            times.Clear();
            var phase = DemoRandom.Span(rng, TimeSpan.Zero, TimeSpan.FromHours(1));
            for (var k = 0; k < hours; k++)
            {
                var at = start + phase + TimeSpan.FromHours(k) + DemoRandom.Span(rng, TimeSpan.FromSeconds(-15), TimeSpan.FromSeconds(15));
                if (at >= start && at < now && host.Reports(at))
                {
                    times.Add(at);
                }
            }

            foreach (var (at, _) in host.BuildChanges)
            {
                if (at >= start && at < now && host.Reports(at))
                {
                    times.Add(at);
                }
            }

            DemoRandom.SortUnique(times, t => t, (_, t) => t);
            foreach (var at in times)
            {
                rows.Add([host.Id, host.Region, host.BuildAt(at), at]);
            }
        }

        DemoRandom.SortByTime(rows, 3);
        return rows;
    }
}
