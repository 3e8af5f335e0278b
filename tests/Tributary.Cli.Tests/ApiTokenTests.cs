using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Server;
using Tributary.Server.Security;

namespace Tributary.Cli.Tests;

/// <summary>One server (in this process) that requires tokens: one a role, plus one with admin and ingest; the ingest token given as its SHA-256.</summary>
public sealed class TokenServerFixture : IAsyncLifetime
{
    public const string Ingest = "ingest-token-0123456789";
    public const string Read = "read-token-0123456789";
    public const string Operate = "operate-token-0123456789";
    public const string Admin = "admin-token-0123456789";

    public static string TokensYaml => $"""
        # who may do what
        tokens:
          - name: apps
            sha256: {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Ingest))).ToLowerInvariant()}
            roles: [ingest]
          - name: dashboards
            token: {Read}
            roles: [read]
          - name: on-call
            token: {Operate}
            roles: [operate]
          - name: owner
            token: {Admin}
            roles: [admin]
        """;

    public InProcessServer Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await InProcessServer.StartAsync(o => o with { TokensFile = Path.Combine(Path.GetDirectoryName(o.DataDirectory)!, "tokens.yaml") },
            files: new Dictionary<string, string> { ["tokens.yaml"] = TokensYaml });
        Host.Server.Operations.CreateTopic("events", new Streams.TopicSettings(1));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// API tokens and roles on every endpoint: 401 (with WWW-Authenticate) without or with an unknown token, 403 naming the
/// role for the wrong one, the role hierarchy (admin ⊇ operate ⊇ read; ingest apart), open probes, and every mapped
/// route declaring its role.
/// </summary>
public sealed class ApiTokenTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>
{
    /// <summary>A representative endpoint per role class: method, path, body (JSON unless it is the producer's).</summary>
    public static TheoryData<string, string, string, string?, string> Endpoints => new()
    {
        { "ingest", "POST", "v1/topics/events/records", "{\"n\":1}\n", "application/x-ndjson" },
        { "read", "GET", "v1/topics", null, "" },
        { "read", "POST", "v1/query", "{\"query\":\".show tables\"}", "application/json" },
        { "operate", "POST", "v1/ingestion/resume", "{}", "application/json" },
        { "admin", "POST", "v1/topics", "{\"name\":\"made-PLACEHOLDER\"}", "application/json" },
    };

    private static readonly Dictionary<string, string> TokenOf = new()
    {
        ["ingest"] = TokenServerFixture.Ingest,
        ["read"] = TokenServerFixture.Read,
        ["operate"] = TokenServerFixture.Operate,
        ["admin"] = TokenServerFixture.Admin,
    };

    /// <summary>Which held role may call an endpoint of which role.</summary>
    private static bool Allowed(string held, string required) => required switch
    {
        "ingest" => held == "ingest",
        "read" => held is "read" or "operate" or "admin",
        "operate" => held is "operate" or "admin",
        _ => held == "admin",
    };

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Call(string? token, string method, string path, string? body, string contentType)
    {
        using var http = fixture.Host.Client(token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = InProcessServer.Body(body.Replace("PLACEHOLDER", Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal), contentType);
        }

        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_NoToken_401WithWwwAuthenticate(string role, string method, string path, string? body, string contentType)
    {
        _ = role;
        var (status, text, response) = await Call(null, method, path, body, contentType);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.Equal("this server needs an API token: send 'Authorization: Bearer <token>' (the CLI: --token or the TRIBUTARY_TOKEN variable)",
                JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_UnknownToken_401(string role, string method, string path, string? body, string contentType)
    {
        _ = role;
        var (status, text, response) = await Call("not-a-token-of-this-server", method, path, body, contentType);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Equal("the API token is not one this server knows", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_EachRole_200WhenItsRoleAllows_403NamingTheRoleOtherwise(string role, string method, string path, string? body, string contentType)
    {
        foreach (var (held, token) in TokenOf)
        {
            var (status, text, response) = await Call(token, method, path, body, contentType);
            using (response)
            {
                if (Allowed(held, role))
                {
                    Assert.True((int)status is >= 200 and < 300, $"{held} → {method} {path}: {(int)status} {text}");
                }
                else
                {
                    Assert.True(status == HttpStatusCode.Forbidden, $"{held} → {method} {path}: {(int)status} {text}");
                    var message = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
                    Assert.EndsWith($"may not {method} /{path}: that needs the '{role}' role", message, StringComparison.Ordinal);
                    Assert.StartsWith("token '", message, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task Query_AControlCommandThatChanges_NeedsAdmin_ShowNeedsRead()
    {
        var (forbidden, text, r1) = await Call(TokenServerFixture.Operate, "POST", "v1/query", "{\"query\":\".create table Sneaky (a:long)\"}", "application/json");
        r1.Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("token 'on-call' (roles: operate) may not run control commands other than .show: that needs the 'admin' role",
            JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        var (show, _, r2) = await Call(TokenServerFixture.Read, "POST", "v1/query", "{\"query\":\"  .show tables\"}", "application/json");
        r2.Dispose();
        Assert.Equal(HttpStatusCode.OK, show);
        var (created, _, r3) = await Call(TokenServerFixture.Admin, "POST", "v1/query", "{\"query\":\".create table Allowed (a:long)\"}", "application/json");
        r3.Dispose();
        Assert.Equal(HttpStatusCode.OK, created);
    }

    [Fact]
    public async Task Telemetry_AuthFailures_InTheSunbirdShape()
    {
        const string batch = "{\"params\":{\"msgid\":\"m\"},\"events\":[{\"eid\":\"LOG\"}]}";
        var (none, noneText, r1) = await Call(null, "POST", "v1/telemetry", batch, "application/json");
        r1.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, none);
        var p = JsonDocument.Parse(noneText).RootElement.GetProperty("params");
        Assert.Equal(("failed", "UNAUTHORIZED"), (p.GetProperty("status").GetString(), p.GetProperty("err").GetString()));

        var (wrong, wrongText, r2) = await Call(TokenServerFixture.Admin, "POST", "v1/telemetry", batch, "application/json");
        r2.Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, wrong);
        Assert.Equal("FORBIDDEN", JsonDocument.Parse(wrongText).RootElement.GetProperty("params").GetProperty("err").GetString());

        var (ok, _, r3) = await Call(TokenServerFixture.Ingest, "POST", "v1/telemetry", batch, "application/json");
        r3.Dispose();
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Theory]
    [InlineData("healthz")]
    [InlineData("readyz")]
    public async Task Probes_StayOpen(string path)
    {
        var (status, _, response) = await Call(null, "GET", path, null, "");
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task UnknownPath_NeedsAToken_Then404()
    {
        var (anonymous, _, r1) = await Call(null, "GET", "v1/nothing-here", null, "");
        r1.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        var (known, _, r2) = await Call(TokenServerFixture.Read, "GET", "v1/nothing-here", null, "");
        r2.Dispose();
        Assert.Equal(HttpStatusCode.NotFound, known);
    }

    /// <summary>Every route the server maps declares its role (a new endpoint without one fails here), and the probes alone are open.</summary>
    [Fact]
    public void EveryMappedRoute_DeclaresARole()
    {
        var routes = fixture.Host.Server.Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(routes.Count > 30, $"only {routes.Count} routes");
        var undeclared = routes.Where(e => e.Metadata.GetMetadata<RequiredRole>() is null && e.Metadata.GetMetadata<OpenEndpoint>() is null).Select(Describe).ToList();
        Assert.True(undeclared.Count == 0, "routes without a role: " + string.Join(", ", undeclared));
        Assert.Equal(["GET /healthz", "GET /readyz"], routes.Where(e => e.Metadata.GetMetadata<OpenEndpoint>() is not null).Select(Describe).Order());
    }

    [Theory]
    [InlineData("POST /v1/telemetry", ApiRole.Ingest)]
    [InlineData("POST /v1/topics/{topic}/records", ApiRole.Ingest)]
    [InlineData("POST /v1/tables/{table}/ingest", ApiRole.Ingest)]
    [InlineData("POST /v1/query", ApiRole.Read)]
    [InlineData("GET /v1/jobs/", ApiRole.Read)]
    [InlineData("GET /v1/jobs/{name}", ApiRole.Read)]
    [InlineData("GET /v1/runs/{id}", ApiRole.Read)]
    [InlineData("GET /v1/topics/", ApiRole.Read)]
    [InlineData("GET /v1/topics/{topic}", ApiRole.Read)]
    [InlineData("GET /v1/topics/{topic}/records", ApiRole.Read)]
    [InlineData("GET /v1/groups/", ApiRole.Read)]
    [InlineData("GET /v1/groups/{group}", ApiRole.Read)]
    [InlineData("GET /v1/ingestion/", ApiRole.Read)]
    [InlineData("GET /openapi/v1.json", ApiRole.Read)]
    [InlineData("POST /v1/jobs/run", ApiRole.Operate)]
    [InlineData("POST /v1/jobs/{name}/rerun", ApiRole.Operate)]
    [InlineData("POST /v1/jobs/{name}/pause", ApiRole.Operate)]
    [InlineData("POST /v1/jobs/{name}/set", ApiRole.Operate)]
    [InlineData("POST /v1/jobs/{name}/windows/retract", ApiRole.Operate)]
    [InlineData("POST /v1/runs/", ApiRole.Operate)]
    [InlineData("POST /v1/runs/{id}/retract", ApiRole.Operate)]
    [InlineData("POST /v1/groups/{group}/offsets", ApiRole.Operate)]
    [InlineData("POST /v1/groups/{group}/reset-offsets", ApiRole.Operate)]
    [InlineData("POST /v1/ingestion/pause", ApiRole.Operate)]
    [InlineData("POST /v1/ingestion/resume", ApiRole.Operate)]
    [InlineData("POST /v1/apply", ApiRole.Admin)]
    [InlineData("POST /v1/topics/", ApiRole.Admin)]
    [InlineData("DELETE /v1/topics/{topic}", ApiRole.Admin)]
    public void Route_NeedsItsRole(string route, ApiRole role)
    {
        var endpoint = Assert.Single(fixture.Host.Server.Endpoints.OfType<RouteEndpoint>(), e => Describe(e) == route);
        Assert.Equal(role, endpoint.Metadata.GetMetadata<RequiredRole>()!.Role);
    }

    [Fact]
    public async Task NoTokens_NonLoopbackAddress_Refused()
    {
        var root = Path.Combine(Path.GetTempPath(), "tributary exposed " + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var e = Assert.Throws<ServerConfigurationException>(() => TributaryServer.Create(new ServerOptions(Path.Combine(root, "data"), "http://0.0.0.0:0")));
            Assert.StartsWith("refusing to listen on http://0.0.0.0:0 without API tokens", e.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(root, "data")), "the data directory was opened before the refusal");

            // A tokens.yaml in the data directory is picked up without --tokens.
            Directory.CreateDirectory(Path.Combine(root, "data"));
            File.WriteAllText(Path.Combine(root, "data", ApiTokens.DefaultFileName), TokenServerFixture.TokensYaml);
            await using var server = TributaryServer.Create(new ServerOptions(Path.Combine(root, "data"), "http://127.0.0.1:0"));
            Assert.Equal(4, server.Tokens.Tokens.Count);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("tokens:\n  - name: a\n    roles: [read]\n", "t.yaml:2:5: token 'a' needs 'token' (the secret) or 'sha256' (its SHA-256 in hex)")]
    [InlineData("tokens:\n  - name: a\n    token: short\n    roles: [read]\n", "t.yaml:2:5: token 'a' is 5 characters long; use at least 16 (random ones)")]
    [InlineData("tokens:\n  - name: a\n    token: aaaaaaaaaaaaaaaaaaaa\n    roles: [reader]\n", "t.yaml:4:13: token 'a': unknown role 'reader' (roles: ingest, read, operate, admin)")]
    [InlineData("tokens:\n  - name: a\n    token: aaaaaaaaaaaaaaaaaaaa\n", "t.yaml:2:5: token 'a' needs 'roles', a list of ingest, read, operate or admin")]
    [InlineData("tokens:\n  - name: a\n    sha256: abc\n    roles: [read]\n", "t.yaml:2:5: the sha256 of token 'a' is not 64 hexadecimal digits (make it with: printf %s \"$TOKEN\" | sha256sum)")]
    [InlineData("tokens:\n  - name: a\n    token: aaaaaaaaaaaaaaaaaaaa\n    roles: [read]\n  - name: a\n    token: bbbbbbbbbbbbbbbbbbbb\n    roles: [read]\n", "t.yaml:5:5: two tokens are named 'a'")]
    [InlineData("tokens:\n  - name: a\n    secret: aaaaaaaaaaaaaaaaaaaa\n    roles: [read]\n", "t.yaml:3:5: unknown field 'secret' (a token has name, token or sha256, and roles)")]
    [InlineData("tokens: [\n", "t.yaml:")]
    [InlineData("", "t.yaml: the file is empty")]
    public void TokensFile_Mistakes_NameFileLineAndProblem(string yaml, string start)
    {
        var e = Assert.Throws<ServerConfigurationException>(() => ApiTokens.Parse(yaml, "t.yaml"));
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokensFile_FindsByPlainOrHashedSecret()
    {
        var tokens = ApiTokens.Parse(TokenServerFixture.TokensYaml, "t.yaml");
        Assert.Equal("apps", tokens.Find(TokenServerFixture.Ingest)!.Name);
        Assert.Equal("owner", tokens.Find(TokenServerFixture.Admin)!.Name);
        Assert.Null(tokens.Find(TokenServerFixture.Admin + " "));
        Assert.True(tokens.Find(TokenServerFixture.Admin)!.Allows(ApiRole.Read));
        Assert.False(tokens.Find(TokenServerFixture.Admin)!.Allows(ApiRole.Ingest));
        Assert.False(tokens.Find(TokenServerFixture.Ingest)!.Allows(ApiRole.Read));
    }

    private static string Describe(RouteEndpoint e) =>
        $"{string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText?.TrimEnd() ?? ""}".Replace("//", "/", StringComparison.Ordinal);
}
