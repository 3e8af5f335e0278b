namespace Tributary.Server.Security;

/// <summary>
/// What an API token may do. <see cref="Admin"/> implies <see cref="Operate"/>, which implies <see cref="Read"/>;
/// <see cref="Ingest"/> stands apart (a producer's token reads nothing, and an operator's token produces nothing unless
/// it also has <see cref="Ingest"/>).
/// </summary>
public enum ApiRole
{
    /// <summary>Send data: <c>POST /v1/telemetry</c>, <c>POST /v1/topics/{t}/records</c>, <c>POST /v1/tables/{t}/ingest</c>.</summary>
    Ingest,

    /// <summary>Look: queries, and every GET (jobs, runs, topics, groups, records, ingestion state).</summary>
    Read,

    /// <summary>Act on what runs: job, window and run actions, group commits and offset resets, pausing ingestion.</summary>
    Operate,

    /// <summary>Change what exists: apply pipelines, create and delete topics, control commands that change tables, and everything else.</summary>
    Admin,
}

/// <summary>Role names as tokens files and messages spell them.</summary>
public static class ApiRoles
{
    /// <summary>The lower-case name (<c>ingest</c>, <c>read</c>, <c>operate</c>, <c>admin</c>).</summary>
    public static string Name(ApiRole role) => role switch
    {
        ApiRole.Ingest => "ingest",
        ApiRole.Read => "read",
        ApiRole.Operate => "operate",
        _ => "admin",
    };

    /// <summary>Reads a role name (any case).</summary>
    public static bool TryParse(string? text, out ApiRole role)
    {
        role = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ingest":
                role = ApiRole.Ingest;
                return true;
            case "read":
                role = ApiRole.Read;
                return true;
            case "operate":
                role = ApiRole.Operate;
                return true;
            case "admin":
                role = ApiRole.Admin;
                return true;
            default:
                return false;
        }
    }

    /// <summary>True when holding <paramref name="held"/> allows what <paramref name="required"/> guards.</summary>
    public static bool Allows(ApiRole held, ApiRole required) => required switch
    {
        ApiRole.Ingest => held == ApiRole.Ingest,
        ApiRole.Read => held is ApiRole.Read or ApiRole.Operate or ApiRole.Admin,
        ApiRole.Operate => held is ApiRole.Operate or ApiRole.Admin,
        _ => held == ApiRole.Admin,
    };
}
