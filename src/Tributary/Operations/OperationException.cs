namespace Tributary.Operations;

/// <summary>A server refused a request (bad input, unknown job …) or could not be reached; the message is for the user as is.</summary>
public sealed class OperationException : Exception
{
    /// <summary>Creates the error.</summary>
    public OperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public OperationException()
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public OperationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status the server answered with (0 when it did not answer).</summary>
    public int Status { get; init; }
}
