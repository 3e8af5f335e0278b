using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>A server started with <c>serve --tokens FILE</c> (tokens of <see cref="TokenServerFixture"/>).</summary>
public sealed class TokenCliFixture : IDisposable
{
    public TokenCliFixture()
    {
        var file = Cli.WriteFile("tokens.yaml", TokenServerFixture.TokensYaml);
        Server = ServerProcess.Start(Cli.DataDirectory, Cli.Root, "--tokens", file);
    }

    public CliProcess Cli { get; } = new();

    public ServerProcess Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Cli.Dispose();
    }
}

/// <summary>The CLI through a server that requires tokens: --token or TRIBUTARY_TOKEN, and the server's refusals as one error line.</summary>
public sealed class CliTokenTests(TokenCliFixture fixture) : IClassFixture<TokenCliFixture>
{
    [Fact]
    public void Serve_SaysTokensAreRequired()
    {
        Assert.Contains("API tokens: 4 from ", fixture.Server.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void NoToken_OneErrorLineSayingHowToGiveIt()
    {
        Assert.Equal("error: this server needs an API token: send 'Authorization: Bearer <token>' (the CLI: --token or the TRIBUTARY_TOKEN variable)",
            UserError(fixture.Cli.Run("topics", "list")));
        Assert.Equal("error: the API token is not one this server knows", UserError(fixture.Cli.Run("topics", "list", "--token", "wrong-token-0123456789")));
    }

    [Fact]
    public void TokenOption_AndVariable_EachRoleItsCommands()
    {
        var cli = fixture.Cli;
        Ok(cli.Run("topics", "list", "--token", TokenServerFixture.Read));
        Assert.Equal("error: token 'dashboards' (roles: read) may not POST /v1/topics: that needs the 'admin' role",
            UserError(cli.Run("topics", "create", "t1", "--token", TokenServerFixture.Read)));

        cli.Variables["TRIBUTARY_TOKEN"] = TokenServerFixture.Admin;
        try
        {
            Ok(cli.Run("topics", "create", "t1"));
            Assert.Equal("error: token 'owner' (roles: admin) may not POST /v1/topics/t1/records: that needs the 'ingest' role",
                UserError(cli.RunWithInput("x\n", "produce", "t1")));
            Ok(cli.RunWithInput("x\n", "produce", "t1", "--token", TokenServerFixture.Ingest)); // --token wins over the variable
            Assert.Equal("x\n", Ok(cli.Run("consume", "t1", "--from-beginning", "--timeout", "0")).Stdout);
            // A group's reader commits after printing: a read-only token prints the record, then cannot commit it.
            var asGroup = cli.Run("consume", "t1", "--group", "g", "--from-beginning", "--timeout", "0", "--token", TokenServerFixture.Read);
            Assert.Equal((1, "x\n"), (asGroup.ExitCode, asGroup.Stdout));
            Assert.Equal("error: token 'dashboards' (roles: read) may not POST /v1/groups/g/offsets: that needs the 'operate' role", asGroup.Stderr.Trim());
            Ok(cli.Run("ingestion", "status", "--token", TokenServerFixture.Operate));
        }
        finally
        {
            cli.Variables.Remove("TRIBUTARY_TOKEN");
        }
    }

    [Fact]
    public void Serve_PublicAddressWithoutTokens_Refused_BadTokensFile_NamesTheLine()
    {
        using var cli = new CliProcess();
        var exposed = UserError(cli.Run("serve", "--urls", "http://0.0.0.0:0"));
        Assert.StartsWith("error: refusing to listen on http://0.0.0.0:0 without API tokens", exposed, StringComparison.Ordinal);

        var file = cli.WriteFile("bad-tokens.yaml", "tokens:\n  - name: x\n    token: short\n    roles: [read]\n");
        Assert.Equal($"error: {file}:2:5: token 'x' is 5 characters long; use at least 16 (random ones)", UserError(cli.Run("serve", "--tokens", file)));
    }
}
