using System.Globalization;

namespace Tributary.Server;

/// <summary>The <c>params</c> of a Sunbird API answer.</summary>
internal sealed record SunbirdParams(string Resmsgid, string? Msgid, string Status, string? Err, string? Errmsg);

/// <summary>
/// A Sunbird API answer, as <c>POST /v1/telemetry</c> gives it:
/// <c>{"id":"api.telemetry","ver":"3.0","ts":"…","params":{"resmsgid","msgid","status","err","errmsg"},"responseCode":"SUCCESS"}</c>;
/// a refusal has <c>status: "failed"</c>, a code in <c>err</c>, the reason in <c>errmsg</c>, and <c>responseCode</c>
/// <c>CLIENT_ERROR</c> (4xx) or <c>SERVER_ERROR</c> (5xx).
/// </summary>
internal sealed record SunbirdResponse(string Id, string Ver, string Ts, SunbirdParams Params, string ResponseCode)
{
    public static SunbirdResponse Succeeded(string? msgid, TimeProvider time) =>
        new("api.telemetry", "3.0", Now(time), new SunbirdParams(Guid.NewGuid().ToString(), msgid, "successful", null, null), "SUCCESS");

    public static SunbirdResponse Failed(string? msgid, string code, string message, TimeProvider time, bool serverError = false) =>
        new("api.telemetry", "3.0", Now(time), new SunbirdParams(Guid.NewGuid().ToString(), msgid, "failed", code, message), serverError ? "SERVER_ERROR" : "CLIENT_ERROR");

    private static string Now(TimeProvider time) => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
