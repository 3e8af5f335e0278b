namespace Tributary.Kql;

/// <summary>
/// A query or command the user wrote is wrong: unknown name, type mismatch, syntax error.
/// The message names what is wrong; <see cref="Line"/> and <see cref="Column"/> (1-based) say where.
/// </summary>
public sealed class KqlException : Exception
{
    /// <summary>Creates the error for a position in the text.</summary>
    public KqlException(string message, int line, int column)
        : base(line > 0 ? $"{message} (at {line}:{column})" : message)
    {
        Reason = message;
        Line = line;
        Column = column;
    }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the error, or 0 when it has no position.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error, or 0 when it has no position.</summary>
    public int Column { get; }
}
