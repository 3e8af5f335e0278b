using System.Text;
using System.Text.Unicode;

namespace Tributary.Streams.Ingest;

/// <summary>
/// Finds where bytes stop being UTF-8. System.Text.Json parses strings without checking their UTF-8 (it checks when
/// a string is read), so a body that is not UTF-8 is refused here before it reaches a topic, where it would fail
/// every processor that reads the string later.
/// </summary>
public static class Utf8Check
{
    /// <summary>The index of the first byte that starts no valid UTF-8 sequence, or -1 when all of <paramref name="text"/> is UTF-8.</summary>
    public static int FirstInvalidByte(ReadOnlySpan<byte> text)
    {
        if (Utf8.IsValid(text))
        {
            return -1;
        }

        var at = 0;
        while (at < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[at..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return at;
            }

            at += consumed;
        }

        return -1;
    }
}
