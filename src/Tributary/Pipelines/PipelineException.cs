namespace Tributary.Pipelines;

/// <summary>A pipeline file that cannot be applied: the message names the file, line, column and problem.</summary>
public sealed class PipelineException : Exception
{
    /// <summary>Creates the error for a place in a file.</summary>
    public PipelineException(string file, int line, int column, string problem)
        : base(line > 0 ? $"{file}:{line}:{column}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates the error.</summary>
    public PipelineException()
    {
        File = "";
        Problem = "";
    }

    /// <summary>Creates the error.</summary>
    public PipelineException(string message)
        : base(message)
    {
        File = "";
        Problem = message;
    }

    /// <summary>Creates the error.</summary>
    public PipelineException(string message, Exception inner)
        : base(message, inner)
    {
        File = "";
        Problem = message;
    }

    /// <summary>The file's path as given.</summary>
    public string File { get; }

    /// <summary>1-based line, or 0 when the problem is the whole file.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The problem without the place.</summary>
    public string Problem { get; }
}
