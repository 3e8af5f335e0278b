namespace Tributary.Jobs;

/// <summary>
/// Decides which windows are due. Pure: reads the jobs' in-memory state and the time it is given.
/// </summary>
/// <remarks>
/// A window is due when now ≥ end + delay (a window started by a run is due at once) and every window
/// of every job it depends on that overlaps it is done (Succeeded or Skipped). Windows before a
/// dependency's start have nothing to wait for.
/// </remarks>
internal static class JobPlanner
{
    /// <summary>How many windows one scan of one job looks at, at most (a job far behind catches up over several scans).</summary>
    public const int ScanLimit = 20_000;

    /// <summary>Whether a window's dependencies let it run.</summary>
    public enum Readiness
    {
        Ready,
        Waiting,
        DependencyFailed,
    }

    public static (Readiness Readiness, string Detail) CheckDependencies(JobState job, TimeWindow window, IReadOnlyDictionary<string, JobState> jobs)
    {
        foreach (var name in job.Definition.DependsOn)
        {
            if (!jobs.TryGetValue(name, out var dep))
            {
                return (Readiness.DependencyFailed, $"it depends on job '{name}', which does not exist");
            }

            var d = dep.Definition;
            if (window.End <= d.Start)
            {
                continue;
            }

            var first = d.WindowAt(window.Start > d.Start ? window.Start : d.Start);
            for (var w = first; w.Start < window.End; w = new TimeWindow(w.End, w.End + d.Window))
            {
                var record = dep.Find(w.Start);
                if (record is { IsDone: true })
                {
                    continue;
                }

                return record is { State: WindowState.Failed }
                    ? (Readiness.DependencyFailed, $"window {w} of '{name}' failed")
                    : (Readiness.Waiting, $"waits for window {w} of '{name}'");
            }
        }

        return (Readiness.Ready, "");
    }

    /// <summary>True when the window may start now on its own schedule (not counting dependencies).</summary>
    public static bool IsTimeDue(JobDefinition job, WindowRecord? record, TimeWindow window, DateTime now, bool ignoreBackoff)
    {
        if (record is not null && record.State != WindowState.Pending)
        {
            return false;
        }

        if (record?.TransactionId is null && window.End + job.Delay > now)
        {
            return false;
        }

        if (record is null && window.Start < job.Start)
        {
            return false;
        }

        return ignoreBackoff || record?.NextAttemptOn is null || record.NextAttemptOn <= now;
    }

    /// <summary>The jobs downstream of <paramref name="job"/> (transitively), nearest first.</summary>
    public static List<string> Downstream(string job, IReadOnlyDictionary<string, JobState> jobs)
    {
        var result = new List<string>();
        var queue = new Queue<string>([job]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var other in jobs.Values.Where(j => j.Definition.DependsOn.Contains(current, StringComparer.Ordinal)).OrderBy(j => j.Definition.Name, StringComparer.Ordinal))
            {
                if (other.Definition.Name != job && !result.Contains(other.Definition.Name))
                {
                    result.Add(other.Definition.Name);
                    queue.Enqueue(other.Definition.Name);
                }
            }
        }

        return result;
    }

    /// <summary>The names of a cycle among the definitions' dependsOn, or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyCollection<JobDefinition> jobs)
    {
        var byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();

        List<string>? Visit(string name)
        {
            state[name] = 1;
            stack.Add(name);
            foreach (var dep in byName[name].DependsOn.Where(byName.ContainsKey))
            {
                if (state.GetValueOrDefault(dep) == 1)
                {
                    return [.. stack.Skip(stack.IndexOf(dep)), dep];
                }

                if (state.GetValueOrDefault(dep) == 0 && Visit(dep) is { } cycle)
                {
                    return cycle;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
            return null;
        }

        foreach (var job in jobs.OrderBy(j => j.Name, StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(job.Name) == 0 && Visit(job.Name) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
