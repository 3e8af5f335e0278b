namespace Tributary.Streams.Validation.Keywords;

/// <summary>The draft-04 primitive types, as flags so a "type" array is one mask.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    Integer = 32,
    String = 64,
}
