namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// <c>binary_shift_left</c> as C# computes it: the count taken modulo 64, the bits pushed out dropped (the engine's own
/// shift fails on overflow instead); null for a negative count.
/// </summary>
internal static class BitUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<long, long, long?>("kql_binary_shift_left", (value, shift) => shift < 0 ? null : value << (int)(shift % 64)),
    ];
}
