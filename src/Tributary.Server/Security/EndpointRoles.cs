using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tributary.Server.Security;

/// <summary>Endpoint metadata: the role an endpoint needs.</summary>
public sealed record RequiredRole(ApiRole Role);

/// <summary>Endpoint metadata: the endpoint needs no token (the liveness and readiness probes).</summary>
public sealed class OpenEndpoint
{
    public static readonly OpenEndpoint Instance = new();
}

/// <summary>Endpoint metadata: the endpoint answers errors (authentication's too) in the Sunbird API shape.</summary>
public sealed class SunbirdErrors
{
    public static readonly SunbirdErrors Instance = new();
}

/// <summary>How endpoints declare their role.</summary>
public static class EndpointRoles
{
    /// <summary>The endpoint needs a token with <paramref name="role"/> (or one that implies it).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, ApiRole role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRole(role));

    /// <summary>The endpoint needs no token.</summary>
    public static TBuilder Open<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OpenEndpoint.Instance);

    /// <summary>The role an endpoint needs: its declared one; an endpoint that declares none needs <see cref="ApiRole.Admin"/> (fail closed).</summary>
    public static ApiRole Required(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiRole.Admin;
}
