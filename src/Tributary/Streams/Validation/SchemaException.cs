namespace Tributary.Streams.Validation;

/// <summary>
/// A schema cannot be loaded: malformed JSON, a keyword we do not enforce, a bad keyword value, a
/// <c>$ref</c> that resolves to nothing. The message names the file, the JSON pointer of the schema
/// object inside it and the keyword.
/// </summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the error.</summary>
    public SchemaException(string message)
        : base(message)
    {
        File = "";
        Pointer = "";
        Reason = message;
    }

    /// <summary>Creates the error with its cause.</summary>
    public SchemaException(string message, Exception inner)
        : base(message, inner)
    {
        File = "";
        Pointer = "";
        Reason = message;
    }

    /// <summary>An error in <paramref name="file"/> at the schema object <paramref name="pointer"/>, about <paramref name="keyword"/> when given.</summary>
    public SchemaException(string file, string pointer, string? keyword, string reason, Exception? inner = null)
        : base(Describe(file, pointer, keyword, reason), inner)
    {
        File = file;
        Pointer = pointer;
        Keyword = keyword;
        Reason = reason;
    }

    /// <summary>The schema file (its path when loaded from a directory).</summary>
    public string File { get; }

    /// <summary>The JSON pointer of the schema object inside <see cref="File"/> ("" for the root).</summary>
    public string Pointer { get; }

    /// <summary>The keyword at fault, if one is.</summary>
    public string? Keyword { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    private static string Describe(string file, string pointer, string? keyword, string reason) =>
        keyword is null ? $"{file}#{pointer}: {reason}" : $"{file}#{pointer}: '{keyword}': {reason}";
}
