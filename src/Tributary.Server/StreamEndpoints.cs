using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Operations;
using Tributary.Pipelines;
using Tributary.Server.Security;
using Tributary.Streams;
using Tributary.Streams.Ingest;
using Tributary.Streams.Processors;
using static Tributary.Server.ApiEndpoints;

namespace Tributary.Server;

/// <summary>
/// The log's endpoints: topics (<c>/v1/topics</c>), the producer and consumer APIs (<c>/v1/topics/{topic}/records</c>),
/// consumer groups (<c>/v1/groups</c>) and the ingestion switch (<c>/v1/ingestion</c>) — what <c>topics</c>, <c>produce</c>,
/// <c>consume</c>, <c>groups</c> and <c>ingestion</c> do through a server.
/// </summary>
internal static class StreamEndpoints
{
    /// <summary>The longest a consumer's read may wait for records.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public static void Map(RouteGroupBuilder v1)
    {
        var processors = v1.MapGroup("/processors");
        processors.MapGet("/", (LocalOperations ops) => Results.Json(ops.ListProcessors(), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("Every processor: state, lag, when its oldest unread record expires, counters.");
        processors.MapPost("/{name}/pause", (string name, LocalOperations ops) => Results.Json(ops.SetProcessorPaused(name, true), WireJson.Options))
            .RequireRole(ApiRole.Operate).WithSummary("Pauses a processor; its input waits in the topic for the topic's retention.");
        processors.MapPost("/{name}/resume", (string name, LocalOperations ops) => Results.Json(ops.SetProcessorPaused(name, false), WireJson.Options))
            .RequireRole(ApiRole.Operate).WithSummary("Resumes a paused processor.");
        processors.MapPost("/run", async (HttpRequest request, LocalOperations ops, CancellationToken ct) =>
        {
            var body = request.ContentLength is null or 0 ? new RunProcessorsRequest() : await Body<RunProcessorsRequest>(request).ConfigureAwait(false);
            var wait = body.WaitSeconds is { } w ? (w is >= 0 and <= 3600 ? TimeSpan.FromSeconds(w) : throw new BadRequestException($"waitSeconds is {w}; it is from 0 to 3600")) : TimeSpan.FromSeconds(30);
            return Results.Json(ops.RunProcessors(wait, ct), WireJson.Options);
        }).RequireRole(ApiRole.Operate).WithSummary("Waits until no running processor lags (or waitSeconds, default 30, pass), then answers their states.");
        v1.MapPost("/backups/replay", async (HttpRequest request, LocalOperations ops, CancellationToken ct) =>
        {
            var body = await Body<ReplayBackupsRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.ReplayBackups(Required(body.Topic, "topic"), Required(body.From, "from"), Required(body.To, "to"), body.Into, ct), WireJson.Options);
        }).RequireRole(ApiRole.Operate).WithSummary("Appends a topic's backed-up records with timestamps in [from, to) to 'into' (default: the topic).");

        var topics = v1.MapGroup("/topics");
        topics.MapGet("/", (LocalOperations ops) => Results.Json(ops.ListTopics(), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("Every topic with its partitions.");
        topics.MapPost("/", async (HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<CreateTopicRequest>(request).ConfigureAwait(false);
            var name = Required(body.Name, "name");
            TimeSpan? retention = TopicSettings.DefaultRetentionAge;
            if (body.Retention is { } text && !StreamUnits.TryParseRetention(text, out retention))
            {
                throw new BadRequestException($"retention '{text}' is not a duration (examples: 12h, 14d) or 'forever'");
            }

            var info = ops.CreateTopic(name, new TopicSettings(body.Partitions ?? 1, retention, body.RetentionBytes));
            return Results.Json(info, WireJson.Options, statusCode: StatusCodes.Status201Created);
        }).RequireRole(ApiRole.Admin).WithSummary("Creates a topic: {name, partitions (1), retention (14d; 'forever'), retentionBytes (per partition; none)}.");
        topics.MapGet("/{topic}", (string topic, LocalOperations ops) => Results.Json(ops.DescribeTopic(topic), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("A topic: settings, and per partition the earliest and next offset, size and time span.");
        topics.MapDelete("/{topic}", (string topic, LocalOperations ops) => Results.Json(ops.DeleteTopic(topic), WireJson.Options))
            .RequireRole(ApiRole.Admin).WithSummary("Deletes a topic, its records and every group's offsets on it; answers what it held.");

        topics.MapPost("/{topic}/records", async (string topic, HttpRequest request, LocalOperations ops, ServerOptions options) =>
        {
            ops.Ingestion.ThrowIfPaused();
            var format = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() switch
            {
                "application/x-ndjson" or "application/jsonl" or "application/json-lines" or "application/jsonlines" => LineFormat.Json,
                "text/plain" => LineFormat.Text,
                var type => throw new IngestException(IngestErrorCodes.UnsupportedMediaType,
                    $"send JSON lines (Content-Type: application/x-ndjson) or plain lines (text/plain){(type is null ? "; the request has no Content-Type" : $", not '{type}'")}",
                    IngestRejection.UnsupportedMediaType),
            };
            var keyField = request.Query["keyField"].ToString() is { Length: > 0 } k ? k : null;
            using var body = await RequestBody.ReadAsync(request, options.MaxProduceBodyBytes, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var lines = RecordLines.Parse(body.Memory.Span, format, keyField, options.MaxProduceRecords, options.MaxProduceRecordBytes);
            if (lines.Records.Count == 0)
            {
                throw new IngestException(IngestErrorCodes.EmptyBody, "the body has no records: send one record per line");
            }

            return Results.Json(await ops.ProduceAsync(topic, lines, request.HttpContext.RequestAborted).ConfigureAwait(false), WireJson.Options);
        }).RequireRole(ApiRole.Ingest)
            .WithSummary("The producer API: one record per non-empty line (application/x-ndjson: each line JSON; text/plain: as is), ?keyField=F takes the key from a JSON field; all or nothing, answered once durable.");

        topics.MapGet("/{topic}/records", async (string topic, HttpRequest request, LocalOperations ops) =>
        {
            var partitions = Numbers(request, "partition", int.Parse);
            var offsets = Numbers(request, "offset", long.Parse);
            if (partitions.Count == 0 || partitions.Count != offsets.Count)
            {
                throw new BadRequestException("give each partition to read with its offset: ?partition=0&offset=0[&partition=1&offset=0 …]");
            }

            var max = request.Query["max"].ToString() is { Length: > 0 } m ? Numbers(request, "max", int.Parse)[0] : 100;
            var wait = TimeSpan.Zero;
            if (request.Query["wait"].ToString() is { Length: > 0 } w)
            {
                if (!PipelineLoader.TryParseDuration(w, out wait) || wait < TimeSpan.Zero)
                {
                    throw new BadRequestException($"wait '{w}' is not a duration (e.g. 500ms, 5s)");
                }

                if (wait > MaxWait)
                {
                    throw new BadRequestException($"wait may be at most {MaxWait.TotalSeconds:N0}s, not {w}");
                }
            }

            var from = partitions.Select((p, i) => new PartitionOffset(p, offsets[i])).ToList();
            return Results.Json(await ops.ReadRecordsAsync(topic, from, max, wait, request.HttpContext.RequestAborted).ConfigureAwait(false), WireJson.Options);
        }).RequireRole(ApiRole.Read)
            .WithSummary("The consumer API: up to 'max' (100) records from ?partition=P&offset=O (repeatable), waiting up to 'wait' (e.g. 5s, at most 30s) for one.");

        var groups = v1.MapGroup("/groups");
        groups.MapGet("/", (LocalOperations ops) => Results.Json(ops.ListGroups(), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("Every consumer group with committed offsets: topics, partitions, lag.");
        groups.MapGet("/{group}", (string group, string? topic, LocalOperations ops) => Results.Json(ops.DescribeGroup(group, string.IsNullOrEmpty(topic) ? null : topic), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("A group's committed offset, end offset and lag per partition (?topic=T: of that topic only).");
        groups.MapPost("/{group}/offsets", async (string group, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<CommitOffsetsRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.CommitOffsets(group, Required(body.Topic, "topic"), Required(body.Offsets, "offsets")), WireJson.Options);
        }).RequireRole(ApiRole.Operate).WithSummary("Commits a group's offsets: {topic, offsets: {\"0\": 42}} (the next offset to read, by partition).");
        groups.MapPost("/{group}/reset-offsets", async (string group, HttpRequest request, LocalOperations ops) =>
        {
            var body = await Body<ResetOffsetsRequest>(request).ConfigureAwait(false);
            return Results.Json(ops.ResetOffsets(group, Required(body.Topic, "topic"), Required(body.Reset, "reset"), body.DryRun), WireJson.Options);
        }).RequireRole(ApiRole.Operate)
            .WithSummary("Moves a group's offsets on a topic: {topic, reset: {kind: ToEarliest|ToLatest|ToDatetime|ShiftBy|ToOffset, time, value}, dryRun}.");

        var ingestion = v1.MapGroup("/ingestion");
        ingestion.MapGet("/", (LocalOperations ops) => Results.Json(ops.GetIngestion(), WireJson.Options))
            .RequireRole(ApiRole.Read).WithSummary("Whether ingestion is paused.");
        ingestion.MapPost("/pause", (LocalOperations ops) => Results.Json(ops.SetIngestionPaused(true), WireJson.Options))
            .RequireRole(ApiRole.Operate).WithSummary("Pauses ingestion: the telemetry and producer APIs answer 503 with Retry-After until resumed.");
        ingestion.MapPost("/resume", (LocalOperations ops) => Results.Json(ops.SetIngestionPaused(false), WireJson.Options))
            .RequireRole(ApiRole.Operate).WithSummary("Resumes ingestion.");
    }

    private static List<T> Numbers<T>(HttpRequest request, string name, Func<string, NumberStyles, IFormatProvider, T> parse)
    {
        var values = new List<T>();
        foreach (var text in request.Query[name])
        {
            try
            {
                values.Add(parse(text ?? "", NumberStyles.Integer, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new BadRequestException($"{name} '{text}' is not a whole number");
            }
        }

        return values;
    }
}
