using System.Text;

namespace Tributary.Streams.Validation.Internal;

/// <summary>The first error of a validation: its message, and the path to it, collected segment by segment while the recursion unwinds.</summary>
internal sealed class ValidationError(string message)
{
    private List<string>? _reversedSegments;

    public string Message { get; } = message;

    /// <summary>Puts <paramref name="segment"/> (a property name or an array index, unescaped) in front of the path so far.</summary>
    public void AddParent(string segment) => (_reversedSegments ??= []).Add(segment);

    /// <summary>The RFC 6901 pointer: "" for the root, "/edata/extra/0/value" below it.</summary>
    public string Pointer()
    {
        if (_reversedSegments is null)
        {
            return "";
        }

        var text = new StringBuilder();
        for (var i = _reversedSegments.Count - 1; i >= 0; i--)
        {
            text.Append('/').Append(JsonPointer.Escape(_reversedSegments[i]));
        }

        return text.ToString();
    }
}
