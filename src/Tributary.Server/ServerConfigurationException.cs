namespace Tributary.Server;

/// <summary>The server cannot start as configured (a bad tokens file, a public address without tokens); the message says what to change.</summary>
public sealed class ServerConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    public ServerConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public ServerConfigurationException()
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ServerConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
