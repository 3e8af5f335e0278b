namespace Tributary.Streams.Validation;

/// <summary>
/// The outcome of validating one document: valid, or the <em>first</em> error found with the JSON pointer
/// (RFC 6901) of the value it concerns and a message. The default value is <see cref="Valid"/>.
/// </summary>
/// <remarks>
/// The pointer names the value a keyword judged, as Sunbird's validators report it: a missing required
/// property or an unexpected additional property is reported at the object that lacks or has it
/// (<c>/edata</c>, message <c>'subsystem' is a required property</c>); a wrong type at the value itself
/// (<c>/edata/extra/0/value</c>, message <c>100 is not of type string</c>). The root is the empty pointer.
/// </remarks>
public readonly record struct SchemaVerdict
{
    private readonly string? _pointer;
    private readonly string? _message;

    private SchemaVerdict(SchemaVerdictKind kind, string pointer, string message)
    {
        Kind = kind;
        _pointer = pointer;
        _message = message;
    }

    /// <summary>A verdict for a document that satisfies its schema.</summary>
    public static SchemaVerdict Valid => default;

    /// <summary>What was found.</summary>
    public SchemaVerdictKind Kind { get; }

    /// <summary>True when the document satisfies its schema.</summary>
    public bool IsValid => Kind == SchemaVerdictKind.Valid;

    /// <summary>The JSON pointer of the value the first error concerns; empty for the root and for a valid document.</summary>
    public string Pointer => _pointer ?? "";

    /// <summary>What is wrong, for people (empty for a valid document).</summary>
    public string Message => _message ?? "";

    /// <summary>An error at <paramref name="pointer"/>.</summary>
    internal static SchemaVerdict Fail(SchemaVerdictKind kind, string pointer, string message)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        ArgumentNullException.ThrowIfNull(message);
        if (kind == SchemaVerdictKind.Valid)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "a failure needs a failing kind");
        }

        return new SchemaVerdict(kind, pointer, message);
    }

    /// <summary>"valid", or "pointer: message" (just the message at the root).</summary>
    public override string ToString() => IsValid ? "valid" : Pointer.Length == 0 ? Message : $"{Pointer}: {Message}";
}
