using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tributary.Server.Security;

/// <summary>A configured token: its name (for messages and logs), the SHA-256 of its secret, and its roles.</summary>
public sealed record ApiToken(string Name, IReadOnlyList<ApiRole> Roles)
{
    internal byte[] Hash { get; init; } = [];

    /// <summary>True when one of the token's roles allows what <paramref name="required"/> guards.</summary>
    public bool Allows(ApiRole required) => Roles.Any(r => ApiRoles.Allows(r, required));
}

/// <summary>
/// The API tokens a server accepts, from a YAML file (<c>tributary serve --tokens FILE</c>, or <c>DATA/tokens.yaml</c>):
/// <code>
/// tokens:
///   - name: sunbird-apps
///     sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08   # printf %s "$TOKEN" | sha256sum
///     roles: [ingest]
///   - name: on-call
///     token: a-long-random-secret-of-16-or-more-characters
///     roles: [operate]
/// </code>
/// </summary>
/// <remarks>
/// Only SHA-256 hashes are kept in memory (a plain <c>token</c> is hashed when read). A presented token is hashed and
/// compared with every configured hash in constant time, so neither a match's position nor a partial match shows in
/// the time taken. Immutable and thread-safe.
/// </remarks>
public sealed class ApiTokens
{
    /// <summary>The file a data directory may hold.</summary>
    public const string DefaultFileName = "tokens.yaml";

    /// <summary>The shortest plain token accepted.</summary>
    public const int MinTokenLength = 16;

    private ApiTokens(IReadOnlyList<ApiToken> tokens, string? source)
    {
        Tokens = tokens;
        Source = source;
    }

    /// <summary>No tokens: authentication off (the server then listens on loopback only).</summary>
    public static ApiTokens None { get; } = new([], null);

    /// <summary>The tokens, in file order.</summary>
    public IReadOnlyList<ApiToken> Tokens { get; }

    /// <summary>The file they came from, or null.</summary>
    public string? Source { get; }

    /// <summary>True when tokens are required.</summary>
    public bool Enabled => Tokens.Count > 0;

    /// <summary>Reads a tokens file.</summary>
    /// <exception cref="ServerConfigurationException">Missing, unreadable or invalid; the message names the file, line and problem.</exception>
    public static ApiTokens Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerConfigurationException($"cannot read the tokens file '{path}': {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Reads a tokens file's text; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ServerConfigurationException">Invalid; the message names the file, line and problem.</exception>
    public static ApiTokens Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ServerConfigurationException($"{file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new ServerConfigurationException($"{file}: the file is empty; list tokens as 'tokens: [{{name, token or sha256, roles: [...]}}]'");
        }

        var root = stream.Documents[0].RootNode;
        var list = root switch
        {
            YamlSequenceNode s => s,
            YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode("tokens"), out var t) && t is YamlSequenceNode s => s,
            _ => throw Error(file, root, "expected 'tokens:' followed by a list of {name, token or sha256, roles: [...]}"),
        };

        var tokens = new List<ApiToken>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in list.Children)
        {
            if (node is not YamlMappingNode entry)
            {
                throw Error(file, node, "each token is a mapping {name, token or sha256, roles: [...]}");
            }

            foreach (var key in entry.Children.Keys)
            {
                if (key is not YamlScalarNode { Value: "name" or "token" or "sha256" or "roles" })
                {
                    throw Error(file, key, $"unknown field '{(key as YamlScalarNode)?.Value}' (a token has name, token or sha256, and roles)");
                }
            }

            var name = Scalar(entry, "name") ?? throw Error(file, entry, "a token needs a 'name'");
            if (!names.Add(name))
            {
                throw Error(file, entry, $"two tokens are named '{name}'");
            }

            var plain = Scalar(entry, "token");
            var hex = Scalar(entry, "sha256");
            byte[] hash;
            if (plain is not null && hex is not null)
            {
                throw Error(file, entry, $"token '{name}' has both 'token' and 'sha256'; give one");
            }
            else if (plain is not null)
            {
                if (plain.Length < MinTokenLength)
                {
                    throw Error(file, entry, $"token '{name}' is {plain.Length} characters long; use at least {MinTokenLength} (random ones)");
                }

                hash = SHA256.HashData(Encoding.UTF8.GetBytes(plain));
            }
            else if (hex is not null)
            {
                try
                {
                    hash = hex.Length == 64 ? Convert.FromHexString(hex) : throw new FormatException();
                }
                catch (FormatException)
                {
                    throw Error(file, entry, $"the sha256 of token '{name}' is not 64 hexadecimal digits (make it with: printf %s \"$TOKEN\" | sha256sum)");
                }
            }
            else
            {
                throw Error(file, entry, $"token '{name}' needs 'token' (the secret) or 'sha256' (its SHA-256 in hex)");
            }

            if (!hashes.Add(Convert.ToHexString(hash)))
            {
                throw Error(file, entry, $"token '{name}' is the same secret as an earlier token");
            }

            var roles = new List<ApiRole>();
            if (!entry.Children.TryGetValue(new YamlScalarNode("roles"), out var rolesNode) || rolesNode is not YamlSequenceNode roleList || roleList.Children.Count == 0)
            {
                throw Error(file, entry, $"token '{name}' needs 'roles', a list of ingest, read, operate or admin");
            }

            foreach (var r in roleList.Children)
            {
                if (r is not YamlScalarNode { Value: { } roleName } || !ApiRoles.TryParse(roleName, out var role))
                {
                    throw Error(file, r, $"token '{name}': unknown role '{(r as YamlScalarNode)?.Value}' (roles: ingest, read, operate, admin)");
                }

                roles.Add(role);
            }

            tokens.Add(new ApiToken(name, roles.Distinct().ToList()) { Hash = hash });
        }

        if (tokens.Count == 0)
        {
            throw Error(file, root, "the list of tokens is empty");
        }

        return new ApiTokens(tokens, file);
    }

    /// <summary>The token whose secret is <paramref name="presented"/>, or null. Every configured hash is compared, in constant time.</summary>
    public ApiToken? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiToken? found = null;
        foreach (var token in Tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, token.Hash))
            {
                found = token;
            }
        }

        return found;
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static ServerConfigurationException Error(string file, YamlNode node, string message) =>
        new($"{file}:{node.Start.Line}:{node.Start.Column}: {message}");
}
