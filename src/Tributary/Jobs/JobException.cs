namespace Tributary.Jobs;

/// <summary>An operation on jobs that cannot be carried out as asked (unknown job, window out of range …); the message says why and what to do.</summary>
public sealed class JobException : Exception
{
    /// <summary>Creates the error.</summary>
    public JobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public JobException()
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public JobException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
