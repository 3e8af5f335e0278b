namespace Tributary.Kql;

/// <summary>
/// A query or command the user wrote is wrong: unknown name, type mismatch, syntax error.
/// The message names what is wrong; <see cref="Line"/> and <see cref="Column"/> (1-based) say where.
/// </summary>
public sealed class KqlException : Exception
{
    /// <summary>Creates the error for a position in the text.</summary>
    public KqlException(string message, int line, int column)
        : base(line > 0 ? $"{Shorten(message)} (at {line}:{column})" : Shorten(message))
    {
        Reason = Shorten(message);
        Line = line;
        Column = column;
    }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the error, or 0 when it has no position.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error, or 0 when it has no position.</summary>
    public int Column { get; }

    /// <summary>A message quoting a huge name or token (a 1 MB identifier) keeps its start and end only.</summary>
    private static string Shorten(string message)
    {
        if (message.Length <= 1000)
        {
            return message;
        }

        var (head, tail) = (message[..700], message[^200..]);
        head = char.IsHighSurrogate(head[^1]) ? head[..^1] : head;
        tail = char.IsLowSurrogate(tail[0]) ? tail[1..] : tail;
        return $"{head}…{tail}";
    }
}
