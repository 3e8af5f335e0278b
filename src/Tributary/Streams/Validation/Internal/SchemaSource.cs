namespace Tributary.Streams.Validation.Internal;

/// <summary>One schema file to compile: its name (the file name, what $ref and lookups use), the path shown in errors, its UTF-8 text.</summary>
internal sealed record SchemaSource(string Name, string DisplayPath, byte[] Utf8);
