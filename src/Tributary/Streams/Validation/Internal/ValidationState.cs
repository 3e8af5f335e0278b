using System.Globalization;
using System.Text.Json;

namespace Tributary.Streams.Validation.Internal;

/// <summary>
/// What one validation carries down the schema tree: the first error once one is found, and whether errors are
/// wanted at all. Inside anyOf, oneOf and not a branch may fail without the document failing, so those
/// branches run quiet: a failure there builds no message and no path, it only answers false.
/// </summary>
internal struct ValidationState
{
    private int _quietDepth;

    /// <summary>The first error (null while none, and always null in quiet branches).</summary>
    public ValidationError? Error { get; private set; }

    /// <summary>True inside a branch whose failure is not the document's failure.</summary>
    public readonly bool Quiet => _quietDepth > 0;

    public void EnterQuiet() => _quietDepth++;

    public void LeaveQuiet() => _quietDepth--;

    /// <summary>
    /// Records the first error, at the current value; callers build <paramref name="message"/> only when not
    /// <see cref="Quiet"/>. A second call replaces the error: one pass may check two keywords and find the later
    /// keyword's error before the earlier one's (see <see cref="Keywords.ObjectKeyword"/>).
    /// </summary>
    public void Report(string message)
    {
        if (!Quiet)
        {
            Error = new ValidationError(message);
        }
    }

    /// <summary>After the value of <paramref name="property"/> failed: puts its name in front of the error's path. Always returns false.</summary>
    public readonly bool ChildFailed(JsonProperty property)
    {
        Error?.AddParent(property.Name);
        return false;
    }

    /// <summary>After the array item at <paramref name="index"/> failed: puts the index in front of the error's path. Always returns false.</summary>
    public readonly bool ChildFailed(int index)
    {
        Error?.AddParent(index.ToString(CultureInfo.InvariantCulture));
        return false;
    }
}
