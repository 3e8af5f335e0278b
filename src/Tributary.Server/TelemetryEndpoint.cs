using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tributary.Operations;
using Tributary.Server.Security;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Server;

/// <summary>
/// <c>POST /v1/telemetry</c>, the Sunbird ingest API: a v3 batch envelope (JSON, or gzip'd JSON) is checked as a whole,
/// stamped as Sunbird's telemetry service stamps it, and appended as one record keyed by its <c>mid</c> to the telemetry
/// topic (created with 4 partitions and 14 days' retention on first use). The answer comes only after the append is
/// durable; a refused batch appends nothing.
/// </summary>
internal static partial class TelemetryEndpoint
{
    /// <summary>Partitions of the telemetry topic when the endpoint creates it.</summary>
    public const int TopicPartitions = 4;

    private static readonly Lock CreateGate = new();

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/telemetry", Handle)
            .RequireRole(ApiRole.Ingest)
            .WithMetadata(SunbirdErrors.Instance)
            .WithSummary("Sunbird telemetry: a v3 batch {id, ver, params: {msgid}, events: [...]} (JSON or gzip'd JSON) appended as one record to the telemetry topic.");
    }

    private static async Task Handle(HttpContext context, LocalOperations ops, ServerOptions options, ILoggerFactory loggers)
    {
        var request = context.Request;
        string? msgid = null;
        try
        {
            ops.Ingestion.ThrowIfPaused();
            var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (type is not ("application/json" or "text/json"))
            {
                throw new IngestException(IngestErrorCodes.UnsupportedMediaType,
                    $"the body must be JSON (Content-Type: application/json){(type is null ? "; the request has no Content-Type" : $", not '{type}'")}", IngestRejection.UnsupportedMediaType);
            }

            using var body = await RequestBody.ReadAsync(request, options.MaxTelemetryBodyBytes, context.RequestAborted).ConfigureAwait(false);
            using var batch = TelemetryBatch.Parse(body.Memory);
            msgid = batch.MsgId;
            batch.Validate(new TelemetryLimits(options.MaxTelemetryEvents, options.MaxTelemetryEventBytes));
            var mid = batch.Mid ?? Guid.NewGuid().ToString();
            var stamp = new TelemetryStamp(ops.Time.GetUtcNow().ToUnixTimeMilliseconds(), Header(request, "X-Device-ID"), Header(request, "X-Channel-ID"), Header(request, "X-App-ID"));
            var record = new LogRecord(Encoding.UTF8.GetBytes(mid), batch.Stamp(stamp, mid));
            var size = record.Value.Length + record.Key!.Length;
            if (size > PartitionLog.MaxRecordBytes)
            {
                throw new IngestException(IngestErrorCodes.BatchTooLarge,
                    $"the batch takes {size:N0} bytes as a log record, more than the {PartitionLog.MaxRecordBytes:N0} one record may hold; send fewer events a batch", IngestRejection.TooLarge);
            }

            var log = ops.Log;
            EnsureTopic(log, options.TelemetryTopic);
            await log.AppendAsync(options.TelemetryTopic, [record], context.RequestAborted).ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(SunbirdResponse.Succeeded(msgid, ops.Time), WireJson.Options).ConfigureAwait(false);
        }
        catch (IngestException e)
        {
            context.Response.StatusCode = ApiEndpoints.Status(e);
            if (e.Rejection == IngestRejection.Paused)
            {
                context.Response.Headers.RetryAfter = ((int)options.IngestionRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsJsonAsync(SunbirdResponse.Failed(msgid, e.Code, e.Message, ops.Time), WireJson.Options).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; whatever was appended is durable and the client retries.
        }
#pragma warning disable CA1031 // Every failure answers in the Sunbird shape; the client retries a 5xx.
        catch (Exception e) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            LogFailed(loggers.CreateLogger(typeof(TelemetryEndpoint).FullName!), e, msgid);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(
                SunbirdResponse.Failed(msgid, "SERVER_ERROR", $"the batch was not stored ({e.GetType().Name}: {e.Message.Split('\n')[0]}); retry", ops.Time, serverError: true),
                WireJson.Options).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the telemetry topic if it is missing (4 partitions, the default retention).</summary>
    internal static void EnsureTopic(IEventLog log, string topic)
    {
        if (log.HasTopic(topic))
        {
            return;
        }

        lock (CreateGate)
        {
            if (!log.HasTopic(topic))
            {
                log.CreateTopic(topic, new TopicSettings(TopicPartitions, TopicSettings.DefaultRetentionAge));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "a telemetry batch (msgid {MsgId}) was not stored")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? msgId);

    private static string? Header(HttpRequest request, string name) => request.Headers.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } v ? v : null;
}
