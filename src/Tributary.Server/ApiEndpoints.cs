using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Kql.Commands;
using Tributary.Operations;
using Tributary.Pipelines;
using Tributary.Server.Security;
using Tributary.Store;
using Tributary.Store.Ingestion;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Server;

/// <summary>
/// The HTTP API: health, query, ingest, apply, and the jobs / windows / runs operations (the streams endpoints are in
/// <see cref="StreamEndpoints"/> and <see cref="TelemetryEndpoint"/>). Every error is a JSON <c>{"error": "…"}</c> with
/// a 4xx status for the caller's mistakes, never a stack trace. Every endpoint declares the role it needs
/// (<see cref="EndpointRoles"/>); only the probes are open.
/// </summary>
internal static class ApiEndpoints
{
    /// <summary>The largest request body (an ingested file).</summary>
    public const long MaxBodyBytes = 1L << 30;

    /// <summary>The largest JSON request body of the other endpoints.</summary>
    public const int MaxJsonBytes = 8 * 1024 * 1024;

    public static void Map(WebApplication app, ApiTokens tokens, ServerOptions options)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                var (status, message) = Describe(e);
                context.Response.Clear();
                context.Response.StatusCode = status;
                if (e is IngestException { Rejection: IngestRejection.Paused })
                {
                    context.Response.Headers.RetryAfter = ((int)options.IngestionRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsJsonAsync(new ErrorResponse(message, (e as IngestException)?.Code), WireJson.Options).ConfigureAwait(false);
            }
        });
        TokenAuthentication.Use(app, tokens);

        app.MapGet("/healthz", () => Results.Text("ok")).Open().WithSummary("Liveness: the process answers.");
        app.MapGet("/readyz", (LocalOperations ops) =>
        {
            _ = ops.Scheduler.Jobs.Count;
            _ = ops.Log.ListTopics().Count;
            return Results.Text("ready");
        }).Open().WithSummary("Readiness: the store is open, the scheduler loaded and the log open.");

        var v1 = app.MapGroup("/v1");
        v1.MapPost("/query", async (HttpContext context, HttpRequest request, LocalOperations ops, CancellationToken ct) =>
        {
            QueryRequest body;
            if (request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
            {
                using var reader = new StreamReader(await Limited(request, "query").ConfigureAwait(false));
                body = new QueryRequest(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
            }
            else
            {
                body = await Body<QueryRequest>(request).ConfigureAwait(false);
            }

            var text = Required(body.Query, "query");
            if (CommandParser.IsCommand(text) && !IsShowCommand(text))
            {
                // Queries only read; a control command that changes tables or functions needs what apply needs.
                TokenAuthentication.Demand(context, ApiRole.Admin, "run control commands other than .show");
            }

            var parameters = body.Parameters?.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
            return Results.Json(ops.Query(text, parameters, ct), WireJson.Options);
        }).RequireRole(ApiRole.Read).WithSummary("Runs a KQL query or a control command (other than .show: admin only); JSON in ({\"query\": …} or text/plain), JSON out.");

        v1.MapPost("/tables/{table}/ingest", async (string table, HttpRequest request, LocalOperations ops, CancellationToken ct) =>
        {
            var format = ParseFormat(request.Query["format"].ToString(), request.ContentType);
            var tags = request.Query["tags"].Where(t => t is not null).SelectMany(t => t!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            // The body is stored under the client's file name (?file=), so errors name the file as they do without a server.
            var directory = Path.Combine(Path.GetTempPath(), $"tributary-ingest-{Guid.NewGuid():N}");
            var path = Path.Combine(directory, FileName(request.Query["file"].ToString(), format));
            Directory.CreateDirectory(directory);
            try
            {
                await using (var file = File.Create(path))
                {
                    await request.Body.CopyToAsync(file, ct).ConfigureAwait(false);
                }

                if (new FileInfo(path).Length == 0)
                {
                    throw new StoreException("the request body is empty; send the file's content (CSV with a header row, or JSON lines)");
                }

                return Results.Json(ops.Ingest(table, path, format, tags, ct), WireJson.Options);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }).RequireRole(ApiRole.Ingest).WithSummary("Loads the body (CSV with a header, JSON lines, JSON or Parquet; ?format=…, ?tags=a,b, ?file=NAME to name it in errors) into a table as one extent, all or nothing.");

        v1.MapPost("/apply", async (HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<ApplyRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.Apply(body.File ?? "pipeline.yaml", Required(body.Yaml, "yaml"), body.DryRun), WireJson.Options);
        }).RequireRole(ApiRole.Admin).WithSummary("Applies a pipeline YAML (or plans it with dryRun).");

        var jobs = v1.MapGroup("/jobs");
        jobs.MapGet("/", (string? asOf, LocalOperations ops) => Results.Json(ops.ListJobs(Time(asOf)), WireJson.Options)).RequireRole(ApiRole.Read).WithSummary("Every job: state, lag, window counts.");
        jobs.MapPost("/run", async (HttpRequest request, LocalOperations ops, CancellationToken ct) =>
        {
            var body = await Body<RunJobsRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.RunJobs(Required(body.Until, "until"), null, ct), WireJson.Options);
        }).RequireRole(ApiRole.Operate).WithSummary("Runs every window due as if the clock read 'until', then answers.");
        jobs.MapGet("/{name}", (string name, int? last, string? asOf, LocalOperations ops) => Results.Json(ops.ShowJob(name, last ?? 24, Time(asOf)), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("A job's window history.");
        jobs.MapPost("/{name}/rerun", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<RangeRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.Rerun(name, Required(body.From, "from"), Required(body.To, "to"), body.FailedOnly), WireJson.Options);
        }).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/backfill", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<RangeRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.Backfill(name, Required(body.From, "from"), Required(body.To, "to")), WireJson.Options);
        }).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/pause", (string name, LocalOperations ops) => Results.Json(ops.SetPaused(name, true), WireJson.Options)).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/resume", (string name, LocalOperations ops) => Results.Json(ops.SetPaused(name, false), WireJson.Options)).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/set", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<SetJobRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.SetJob(name, body.ToSettings()), WireJson.Options);
        }).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/kill", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = request.ContentLength is null or 0 ? new KillRequest() : await Body<KillRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.Kill(name, body.Window), WireJson.Options);
        }).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/windows/mark-succeeded", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<WindowRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.MarkSucceeded(name, Required(body.Window, "window")), WireJson.Options);
        }).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/windows/clear", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<WindowRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.Clear(name, Required(body.Window, "window"), body.Downstream), WireJson.Options);
        }).RequireRole(ApiRole.Operate);
        jobs.MapPost("/{name}/windows/retract", async (string name, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<WindowRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.Retract(name, Required(body.Window, "window"), body.Cascade), WireJson.Options);
        }).RequireRole(ApiRole.Operate);

        var runs = v1.MapGroup("/runs");
        runs.MapPost("/", async (HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<RunRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.StartRun(Required(body.Jobs, "jobs"), Required(body.Window, "window"), body.TransactionId), WireJson.Options);
        }).RequireRole(ApiRole.Operate).WithSummary("Starts a run: the window containing 'window' of each job, under one transaction id.");
        runs.MapGet("/{id}", (string id, LocalOperations ops) => Results.Json(ops.ShowRun(id), WireJson.Options)).RequireRole(ApiRole.Read);
        runs.MapPost("/{id}/rerun", (string id, LocalOperations ops) => Results.Json(ops.RerunRun(id), WireJson.Options)).RequireRole(ApiRole.Operate);
        runs.MapPost("/{id}/retract", async (string id, HttpRequest request, LocalOperations ops) =>
        {
            var body = request.ContentLength is null or 0 ? new RetractRunRequest() : await Body<RetractRunRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.RetractRun(id, body.Jobs), WireJson.Options);
        }).RequireRole(ApiRole.Operate);

        StreamEndpoints.Map(v1);
        TelemetryEndpoint.Map(v1);
    }

    /// <summary>The HTTP status of a refused ingest request.</summary>
    public static int Status(IngestException e) => e.Rejection switch
    {
        IngestRejection.TooLarge => StatusCodes.Status413PayloadTooLarge,
        IngestRejection.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        IngestRejection.Paused => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    private static bool IsShowCommand(string text)
    {
        var t = text.TrimStart();
        return t.StartsWith(".show", StringComparison.Ordinal) && (t.Length == 5 || char.IsWhiteSpace(t[5]));
    }

    private static (int Status, string Message) Describe(Exception e) => e switch
    {
        BadRequestException b => (b.Status, b.Message),
        ForbiddenException f => (StatusCodes.Status403Forbidden, f.Message),
        IngestException i => (Status(i), i.Message),
        StreamException s when s.Message.Contains("does not exist", StringComparison.Ordinal) => (StatusCodes.Status404NotFound, s.Message),
        StreamException s when s.Message.Contains("already exists", StringComparison.Ordinal) => (StatusCodes.Status409Conflict, s.Message),
        StreamException s => (StatusCodes.Status400BadRequest, s.Message),
        JobException j when j.Message.StartsWith("unknown job", StringComparison.Ordinal) || j.Message.StartsWith("no run has", StringComparison.Ordinal) => (StatusCodes.Status404NotFound, j.Message),
        KqlException or StoreException or JobException or PipelineException => (StatusCodes.Status400BadRequest, e.Message),
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge => (StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {MaxBodyBytes / (1024 * 1024)} MB"),
        BadHttpRequestException b => (b.StatusCode, b.Message),
        OperationCanceledException => (499, "the request was cancelled"),
        _ => (StatusCodes.Status500InternalServerError, $"internal error ({e.GetType().Name}); the server log has the details"),
    };

    internal static async Task<T> Body<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequestException($"the request body must be JSON (Content-Type: application/json), not '{type}'");
        }

        var json = await Limited(request, "JSON").ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(json, WireJson.Options).ConfigureAwait(false)
                   ?? throw new BadRequestException("the request body is empty or null; send a JSON object");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            var what = e.Path is { Length: > 1 } path ? $" (field {path.TrimStart('$', '.')})" : "";
            throw new BadRequestException($"malformed JSON{where}{what}: {FirstSentence(e.Message)}");
        }
        catch (FormatException e)
        {
            throw new BadRequestException($"a value in the JSON body has the wrong form: {e.Message}");
        }
    }

    /// <summary>
    /// The body, read into memory up to <see cref="MaxJsonBytes"/>: a larger one is refused (413) whether it says its length
    /// or is sent chunked.
    /// </summary>
    private static async Task<MemoryStream> Limited(HttpRequest request, string what)
    {
        var tooLarge = $"the {what} body is larger than {MaxJsonBytes / (1024 * 1024)} MB";
        if (request.ContentLength > MaxJsonBytes)
        {
            throw new BadRequestException(tooLarge, StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                throw new BadRequestException(tooLarge, StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>The client's file name without its directories, or a neutral one.</summary>
    private static string FileName(string file, IngestFormat? format)
    {
        var name = Path.GetFileName(file.Replace('\\', '/'));
        return name.Length is 0 or > 200 || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ? "request-body" + Extension(format) : name;
    }

    private static DateTime? Time(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return Pipelines.PipelineLoader.TryParseTime(text, out var t) ? t : throw new BadRequestException($"asOf '{text}' is not a time (ISO-8601 UTC)");
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    internal static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new BadRequestException($"the JSON body needs '{field}'");

    internal static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new BadRequestException($"the JSON body needs '{field}'");

    private static IngestFormat? ParseFormat(string format, string? contentType) => format.ToLowerInvariant() switch
    {
        "csv" => IngestFormat.Csv,
        "jsonl" or "json-lines" or "ndjson" or "multijson" => IngestFormat.JsonLines,
        "json" => IngestFormat.Json,
        "parquet" => IngestFormat.Parquet,
        "" => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "text/csv" => IngestFormat.Csv,
            "application/x-ndjson" or "application/jsonl" => IngestFormat.JsonLines,
            "application/json" => IngestFormat.Json,
            "application/vnd.apache.parquet" => IngestFormat.Parquet,
            _ => throw new BadRequestException("say the body's format: ?format=csv|jsonl|json|parquet (or Content-Type text/csv, application/x-ndjson, application/json)"),
        },
        _ => throw new BadRequestException($"unknown format '{format}' (expected csv, jsonl, json or parquet)"),
    };

    private static string Extension(IngestFormat? format) => format switch
    {
        IngestFormat.Csv => ".csv",
        IngestFormat.JsonLines => ".jsonl",
        IngestFormat.Json => ".json",
        IngestFormat.Parquet => ".parquet",
        _ => ".dat",
    };

    /// <summary>The caller's mistake in the request itself.</summary>
    internal sealed class BadRequestException(string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
