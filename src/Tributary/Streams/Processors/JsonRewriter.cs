using System.Buffers;
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

    /// <summary>The object with the fields set.</summary>
    public static byte[] Rewrite(JsonElement obj, params ReadOnlySpan<JsonField> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(obj.GetRawText().Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, obj, fields);
        }

        return buffer.WrittenSpan.ToArray();
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
                property.WriteTo(writer);
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
                    child.WriteTo(writer);
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
