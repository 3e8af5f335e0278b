using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>A field to set on an event: top level (<see cref="Parent"/> null) or inside an object such as <c>flags</c>.</summary>
/// <param name="Value">A string, long, bool, <see cref="JsonElement"/>, or null (JSON null).</param>
public readonly record struct JsonField(string? Parent, string Name, object? Value);

/// <summary>
/// Writes a JSON object again with fields set: existing properties keep their place and text, a set field replaces
/// its property in place or is added at the end, and fields under a parent (<c>flags.ex_processed</c>) merge into that
/// object (created when missing). Output is compact UTF-8 without escaping non-ASCII text (as Sunbird's jobs write it).
/// </summary>
public static class JsonRewriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private const int MaxScratchBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The object with the fields set.</summary>
    public static byte[] Rewrite(JsonElement obj, params ReadOnlySpan<JsonField> fields)
    {
        var (buffer, writer) = Scratch();
        Write(writer, obj, fields);
        writer.Flush();
        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxScratchBytes)
        {
            // One huge event should not keep its buffer alive on this thread for good.
            (t_buffer, t_writer) = (null, null);
        }

        return result;
    }

    /// <summary>
    /// <paramref name="compactObject"/> (compact JSON text of an object with at least one property and no <c>flags</c>
    /// property, as <see cref="Rewrite"/> writes it) with <c>"flags":{"&lt;name&gt;":true}</c> added at the end: the same
    /// bytes as rewriting it with that field, without walking it again.
    /// </summary>
    public static byte[] AppendFlag(ReadOnlySpan<byte> compactObject, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (compactObject.Length < 2 || compactObject[^1] != (byte)'}')
        {
            throw new ArgumentException("not the compact text of a JSON object", nameof(compactObject));
        }

        var tail = System.Text.Encoding.UTF8.GetBytes($",\"flags\":{{\"{JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\":true}}}}");
        var result = new byte[compactObject.Length - 1 + tail.Length];
        compactObject[..^1].CopyTo(result);
        tail.CopyTo(result.AsSpan(compactObject.Length - 1));
        return result;
    }

    /// <summary>Writes the object with the fields set to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement obj, ReadOnlySpan<JsonField> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var done = new bool[fields.Length];
        writer.WriteStartObject();
        foreach (var property in obj.EnumerateObject())
        {
            var replaced = false;
            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i].Parent is null && property.NameEquals(fields[i].Name))
                {
                    writer.WritePropertyName(fields[i].Name);
                    WriteValue(writer, fields[i].Value);
                    done[i] = true;
                    replaced = true;
                }
            }

            if (replaced)
            {
                continue;
            }

            var isParent = false;
            for (var i = 0; i < fields.Length && !isParent; i++)
            {
                isParent = fields[i].Parent is { } parent && property.NameEquals(parent);
            }

            if (!isParent)
            {
                WriteProperty(writer, property);
                continue;
            }

            writer.WritePropertyName(property.Name);
            writer.WriteStartObject();
            var name = property.Name;
            var children = property.Value.ValueKind == JsonValueKind.Object ? property.Value.EnumerateObject() : default;
            foreach (var child in children)
            {
                var childSet = -1;
                for (var i = 0; i < fields.Length; i++)
                {
                    if (fields[i].Parent == name && child.NameEquals(fields[i].Name))
                    {
                        childSet = i;
                    }
                }

                if (childSet < 0)
                {
                    WriteProperty(writer, child);
                }
            }

            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i].Parent == name)
                {
                    writer.WritePropertyName(fields[i].Name);
                    WriteValue(writer, fields[i].Value);
                    done[i] = true;
                }
            }

            writer.WriteEndObject();
        }

        // Fields not placed yet: top-level ones, then new parent objects in the order their first field comes.
        for (var i = 0; i < fields.Length; i++)
        {
            if (done[i])
            {
                continue;
            }

            if (fields[i].Parent is null)
            {
                writer.WritePropertyName(fields[i].Name);
                WriteValue(writer, fields[i].Value);
                done[i] = true;
                continue;
            }

            var parent = fields[i].Parent!;
            writer.WritePropertyName(parent);
            writer.WriteStartObject();
            for (var j = i; j < fields.Length; j++)
            {
                if (!done[j] && fields[j].Parent == parent)
                {
                    writer.WritePropertyName(fields[j].Name);
                    WriteValue(writer, fields[j].Value);
                    done[j] = true;
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a property as it came: its name and its value's text copied, not walked token by token. A value laid out
    /// over lines (a tab, CR or LF byte, which JSON allows only as whitespace) is written compactly instead.
    /// </summary>
    public static void WriteProperty(Utf8JsonWriter writer, JsonProperty property)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var value = JsonMarshal.GetRawUtf8Value(property.Value);
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        if (value.IndexOfAny((byte)'\n', (byte)'\r', (byte)'\t') >= 0 || name.IndexOf((byte)'\\') >= 0)
        {
            // Laid out, or an escaped name (the writer must see it unescaped, or it would escape the backslash again).
            property.WriteTo(writer);
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(value, skipInputValidation: true);
    }

    /// <summary>This thread's buffer and writer, emptied (a rewrite copies its result out before the next one).</summary>
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) Scratch()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        return (buffer, writer);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            default:
                throw new ArgumentException($"cannot write a {value.GetType().Name} as a JSON value");
        }
    }
}
