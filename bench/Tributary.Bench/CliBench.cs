using System.Diagnostics;
using Tributary.Fleet;
using Tributary.Jobs;
using Tributary.Operations;
using Tributary.Pipelines;
using Tributary.Store;

namespace Tributary.Bench;

/// <summary>
/// One CLI command as a whole process (<c>dotnet Tributary.Cli.dll …</c>: start-up, work, exit), on a data directory
/// holding the fleet pipeline, offline (the CLI opens the store itself) against the same command while <c>serve</c> runs
/// on the directory (the CLI goes through its HTTP API).
/// </summary>
internal static class CliBench
{
    public static List<Row> Run(Options options, string root)
    {
        var cli = FindCli(options.CliPath);
        var runs = options.CliRuns;
        Console.WriteLine($"== CLI: whole processes, offline vs through a running server; {runs} timed runs of each command each way (load {Timing.Load()})");
        Console.WriteLine($"   {cli} (built {File.GetLastWriteTime(cli):yyyy-MM-dd HH:mm})");
        var dir = Path.Combine(root, "cli-data");
        var setup = Timing.Time(() => Prepare(dir, root));
        Console.WriteLine($"   data directory ready in {Timing.F(setup, "0.0")} s: fleet-changes.yaml applied, 500 nodes x 2 h ingested, every due window run");

        (string Name, string[] Args)[] commands =
        [
            ("query \"ChangeEventV2 | count\"", ["query", "ChangeEventV2 | count"]),
            ("jobs list", ["jobs", "list"]),
            ("--help (start-up floor)", ["--help"]),
        ];
        var offline = commands.Select(_ => new List<double>()).ToArray();
        var served = commands.Select(_ => new List<double>()).ToArray();
        (string Name, HttpMethod Method, string Path, string? Body)[] requests =
        [
            ("GET /healthz", HttpMethod.Get, "healthz", null),
            ("POST /v1/query ChangeEventV2 | count", HttpMethod.Post, "v1/query", "ChangeEventV2 | count"),
            ("GET /v1/jobs", HttpMethod.Get, "v1/jobs", null),
        ];
        var http = requests.Select(_ => new List<double>()).ToArray();

        // Blocks of each way, alternating, so load drift hits both: offline, served, offline, served.
        var per = Math.Max(1, runs / 2);
        for (var block = 0; block < 4; block++)
        {
            var throughServer = block % 2 == 1;
            var count = block < 2 ? per : runs - per;
            Process? server = null;
            try
            {
                if (throughServer)
                {
                    server = StartServer(cli, dir);

                    // Let it settle (start-up JIT, its first scheduler scan) before timing.
                    Thread.Sleep(2000);
                }

                // One untimed run of each first (for the server: its first request of each kind).
                foreach (var (_, args) in commands)
                {
                    RunCli(cli, dir, args);
                }

                for (var i = 0; i < count; i++)
                {
                    for (var c = 0; c < commands.Length; c++)
                    {
                        (throughServer ? served : offline)[c].Add(RunCli(cli, dir, commands[c].Args));
                    }
                }

                if (throughServer)
                {
                    // The same requests from this (warm) process: what the server and loopback HTTP cost, without a CLI process.
                    using var client = new HttpClient { BaseAddress = new Uri(ServerAnnouncement.TryRead(Path.GetFullPath(dir))!.Url.TrimEnd('/') + "/") };
                    for (var i = 0; i < 5 + (count * 5); i++)
                    {
                        for (var r = 0; r < requests.Length; r++)
                        {
                            var t = Timing.Time(() => Send(client, requests[r].Method, requests[r].Path, requests[r].Body));
                            if (i >= 5)
                            {
                                http[r].Add(t);
                            }
                        }
                    }
                }
            }
            finally
            {
                if (server is not null)
                {
                    StopServer(server);
                }
            }

            Console.WriteLine($"   block {block + 1} ({(throughServer ? "through the server" : "offline")}): {count} runs of each (load {Timing.Load()})");
        }

        // The served runs really went through the server: it logs its queries as user "api".
        using (var store = TributaryStore.Open(dir))
        {
            var api = (long)store.Execute("QueryLog | where User == 'api' and Text == 'ChangeEventV2 | count' | count").Rows[0][0]!;
            if (api < served[0].Count)
            {
                throw new InvalidOperationException($"cli: the server logged {api} queries, fewer than the {served[0].Count} served runs");
            }
        }

        var results = new List<Row>();
        for (var c = 0; c < commands.Length; c++)
        {
            var o = new Sample("offline", offline[c]);
            var s = new Sample("served", served[c]);
            var ratio = s.Median / o.Median;
            Console.WriteLine($"   {commands[c].Name}: through the server median {Timing.Ms(s.Median)} (min {Timing.Ms(s.Min)}), offline median {Timing.Ms(o.Median)} " +
                $"(min {Timing.Ms(o.Min)}), served/offline {Timing.Ratio(ratio, s.Min / o.Min)}");
            results.Add(new Row("cli", commands[c].Name, $"through serve: {Timing.Ms(s.Median)}, {Timing.Ms(s.Min)}", $"offline: {Timing.Ms(o.Median)}, {Timing.Ms(o.Min)}",
                Timing.Ratio(ratio, s.Min / o.Min), "–", null, Timing.Load()));
        }

        for (var r = 0; r < requests.Length; r++)
        {
            var h = new Sample(requests[r].Name, http[r]);
            Console.WriteLine($"   {requests[r].Name} from a warm client: median {Timing.Dur(h.Median)} (min {Timing.Dur(h.Min)})");
            results.Add(new Row("cli", $"{requests[r].Name}, from a warm in-process client", $"{Timing.Dur(h.Median)}, {Timing.Dur(h.Min)}", "–", "–", "–", null, Timing.Load()));
        }

        return results;
    }

    private static void Send(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "text/plain");
        }

        using var response = client.Send(request);
        response.EnsureSuccessStatusCode();
        using var stream = response.Content.ReadAsStream();
        stream.CopyTo(Stream.Null);
    }

    /// <summary>The fleet pipeline, its source rows for the last 2 hours (jobs start then), and every window due now run.</summary>
    private static void Prepare(string dir, string root)
    {
        var now = DateTime.UtcNow;
        var ten = TimeSpan.FromMinutes(10).Ticks;
        var start = new DateTime(now.Ticks - (now.Ticks % ten), DateTimeKind.Utc).AddHours(-2);
        var pipeline = PipelineLoader.Load(RepoPaths.Sample("pipelines", "fleet-changes.yaml"));
        pipeline = pipeline with { Jobs = pipeline.Jobs.Select(j => j with { Definition = j.Definition with { Start = start } }).ToList() };
        using var store = TributaryStore.Open(dir);
        PipelineApplier.Apply(store, pipeline);
        foreach (var t in FleetChangeGenerator.Generate(new FleetGenerateOptions(start, now, 500, Seed: 2)))
        {
            var path = Path.Combine(root, t.Table.Name + ".cli.jsonl");
            FleetChangeGenerator.WriteJsonLines(t, path);
            store.IngestFile(t.Table.Name, path);
            File.Delete(path);
        }

        using var scheduler = JobScheduler.Open(store);
        var report = scheduler.RunDueAsync(now).GetAwaiter().GetResult();
        if (report.FailedWindows > 0)
        {
            throw new InvalidOperationException($"cli: {report.FailedWindows} windows failed while preparing the data directory");
        }
    }

    /// <summary>Runs the CLI once and returns its wall time from start to exit; throws when it fails.</summary>
    private static double RunCli(string cli, string dir, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dir);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cli: dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cli: '{string.Join(' ', args)}' exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        return seconds;
    }

    private static Process StartServer(string cli, string dir)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "--data", dir, "serve", "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cli: the server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (ServerAnnouncement.TryRead(Path.GetFullPath(dir)) is not { } a || a.ProcessId != process.Id)
        {
            if (process.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                StopServer(process);
                throw new InvalidOperationException("cli: the server did not announce itself within 60 s");
            }

            Thread.Sleep(50);
        }

        return process;
    }

    /// <summary>SIGTERM (the server cancels running attempts and closes the store), then waits for it to exit.</summary>
    private static void StopServer(Process server)
    {
        if (!server.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (!server.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                server.Kill();
                server.WaitForExit();
            }
        }

        server.Dispose();
    }

    private static string FindCli(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new InvalidOperationException($"cli: {given} does not exist");
        }

        var candidates = new[]
        {
            Path.Combine(RepoPaths.Root, "src", "Tributary.Cli", "bin", "Release", "net10.0", "Tributary.Cli.dll"),
            Path.Combine(RepoPaths.Root, "artifacts", "cli", "Tributary.Cli.dll"),
        }.Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).ToList();
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException("cli: no built CLI; run 'dotnet build Tributary.slnx -c Release' first, or pass --cli PATH/Tributary.Cli.dll");
    }
}
