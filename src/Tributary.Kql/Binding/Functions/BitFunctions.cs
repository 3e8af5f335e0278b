using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Bitwise functions on 64-bit two's-complement longs, as C# computes them: shifts count modulo 64 (a negative count
/// gives null), a left shift drops the bits it pushes out, a right shift keeps the sign.
/// </summary>
internal static class BitFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("binary_and", Arity.Exactly(2), "binary_and(a: long, b: long): long", "The bitwise AND.", c => Bitwise(c, $"({c.WholeSql(0)} & {c.WholeSql(1)})")),
        new("binary_or", Arity.Exactly(2), "binary_or(a: long, b: long): long", "The bitwise OR.", c => Bitwise(c, $"({c.WholeSql(0)} | {c.WholeSql(1)})")),
        new("binary_xor", Arity.Exactly(2), "binary_xor(a: long, b: long): long", "The bitwise exclusive OR.", c => Bitwise(c, $"xor({c.WholeSql(0)}, {c.WholeSql(1)})")),
        new("binary_not", Arity.Exactly(1), "binary_not(value: long): long", "The bitwise complement.", c => Bitwise(c, $"(~{c.WholeSql(0)})")),
        new("binary_shift_left", Arity.Exactly(2), "binary_shift_left(value: long, shift: long): long", "The value shifted left by shift modulo 64 bits (null for a negative shift).", c => Bitwise(c, $"kql_binary_shift_left({c.WholeSql(0)}, {c.WholeSql(1)})")),
        new("binary_shift_right", Arity.Exactly(2), "binary_shift_right(value: long, shift: long): long", "The value shifted right, keeping its sign, by shift modulo 64 bits (null for a negative shift).", ShiftRight),
        new("bitset_count_ones", Arity.Exactly(1), "bitset_count_ones(value: long): long", "The number of bits set in the value's 64 bits.", c => Bitwise(c, $"CAST(bit_count({c.WholeSql(0)}) AS BIGINT)")),
    ];

    private static SqlValue Bitwise(FunctionCall c, string sql) => Derived(sql, KqlType.Long, [.. c.Args]);

    private static SqlValue ShiftRight(FunctionCall c)
    {
        var shift = c.WholeSql(1);
        return Bitwise(c, $"(CASE WHEN {shift} >= 0 THEN {c.WholeSql(0)} >> ({shift} % 64) END)");
    }
}
