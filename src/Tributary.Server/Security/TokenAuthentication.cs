using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tributary.Operations;

namespace Tributary.Server.Security;

/// <summary>A request refused for lack of a role (403), raised inside a handler (e.g. a control command through <c>/v1/query</c>).</summary>
internal sealed class ForbiddenException(string message) : Exception(message);

/// <summary>
/// Bearer-token checks for every endpoint but the open probes: no or an unknown token → 401 with
/// <c>WWW-Authenticate: Bearer</c>; a token without the endpoint's role → 403 naming the role needed. With no tokens
/// configured, every request passes (the server then listens on loopback only).
/// </summary>
internal static class TokenAuthentication
{
    private const string TokenKey = "tributary.token";

    public static void Use(WebApplication app, ApiTokens tokens)
    {
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (!tokens.Enabled || endpoint?.Metadata.GetMetadata<OpenEndpoint>() is not null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var sunbird = endpoint?.Metadata.GetMetadata<SunbirdErrors>() is not null;
            var presented = Bearer(context.Request);
            if (presented is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"tributary\"";
                await Refuse(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                    "this server needs an API token: send 'Authorization: Bearer <token>' (the CLI: --token or the TRIBUTARY_TOKEN variable)", sunbird).ConfigureAwait(false);
                return;
            }

            var token = tokens.Find(presented);
            if (token is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"tributary\", error=\"invalid_token\"";
                await Refuse(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "the API token is not one this server knows", sunbird).ConfigureAwait(false);
                return;
            }

            context.Items[TokenKey] = token;
            if (endpoint is not null)
            {
                var required = EndpointRoles.Required(endpoint);
                if (!token.Allows(required))
                {
                    await Refuse(context, StatusCodes.Status403Forbidden, "FORBIDDEN", Forbidden(token, required, $"{context.Request.Method} {context.Request.Path}"), sunbird).ConfigureAwait(false);
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>Inside a handler: refuses the request (403) unless its token has <paramref name="role"/> (always passes without tokens).</summary>
    public static void Demand(HttpContext context, ApiRole role, string what)
    {
        if (context.Items.TryGetValue(TokenKey, out var value) && value is ApiToken token && !token.Allows(role))
        {
            throw new ForbiddenException(Forbidden(token, role, what));
        }
    }

    private static string Forbidden(ApiToken token, ApiRole required, string what) =>
        $"token '{token.Name}' (roles: {string.Join(", ", token.Roles.Select(ApiRoles.Name))}) may not {what}: that needs the '{ApiRoles.Name(required)}' role";

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static Task Refuse(HttpContext context, int status, string code, string message, bool sunbird)
    {
        context.Response.StatusCode = status;
        return sunbird
            ? context.Response.WriteAsJsonAsync(SunbirdResponse.Failed(null, code, message, (context.RequestServices.GetService(typeof(LocalOperations)) as LocalOperations)?.Time ?? TimeProvider.System), WireJson.Options)
            : context.Response.WriteAsJsonAsync(new ErrorResponse(message), WireJson.Options);
    }
}
