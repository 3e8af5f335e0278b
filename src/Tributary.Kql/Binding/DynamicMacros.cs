namespace Tributary.Kql.Binding;

/// <summary>
/// DuckDB macros for the array, set and property bag functions (part of <see cref="SqlMacros.Statements"/>). An array
/// is a DuckDB LIST here: of JSON elements (<c>kql_json_list</c>) or, when the translator knows the element type, of that
/// type; the macros work on either. Indexes are Kusto's: 0-based, negative ones counting from the end.
/// </summary>
internal static class DynamicMacros
{
    public static IReadOnlyList<string> Statements { get; } =
    [
        // A dynamic value's elements as a LIST of JSON, or NULL when it is not an array.
        "CREATE OR REPLACE TEMP MACRO kql_json_list(j) AS CASE WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[]) END",

        // Element i (0-based) of a JSON array, or the value itself when it is not an array (array_iff's branches, bag_zip's values).
        "CREATE OR REPLACE TEMP MACRO kql_pick(v, i) AS CASE WHEN json_type(v) = 'ARRAY' THEN json_extract(v, '$[' || CAST(i AS VARCHAR) || ']') ELSE v END",

        // Elements start..end, both inclusive; negative indexes count from the end, out-of-range ones are clamped.
        """
        CREATE OR REPLACE TEMP MACRO kql_array_slice(l, s, e) AS list_slice(l,
          greatest(CASE WHEN s < 0 THEN len(l) + s ELSE s END, 0) + 1,
          least(CASE WHEN e < 0 THEN len(l) + e ELSE e END, len(l) - 1) + 1)
        """,

        // Rotated n places to the left (to the right when n is negative).
        """
        CREATE OR REPLACE TEMP MACRO kql_array_rotate_left(l, n) AS CASE WHEN len(l) = 0 THEN l ELSE list_concat(
          list_slice(l, ((n % len(l) + len(l)) % len(l)) + 1, len(l)),
          list_slice(l, 1, (n % len(l) + len(l)) % len(l))) END
        """,

        // Shifted n places to the left (to the right when n is negative), the places left empty holding d.
        "CREATE OR REPLACE TEMP MACRO kql_array_shift_left(l, n, d) AS list_transform(range(len(l)), __i -> CASE WHEN __i + n >= 0 AND __i + n < len(l) THEN l[__i + n + 1] ELSE d END)",

        // The parts [0, i1), [i1, i2) … [iN, len) for the split indexes idx (negative ones count from the end).
        """
        CREATE OR REPLACE TEMP MACRO kql_array_split_at(l, i) AS least(greatest(CASE WHEN i < 0 THEN len(l) + i ELSE i END, 0), len(l))
        """,
        """
        CREATE OR REPLACE TEMP MACRO kql_array_split(l, idx) AS list_transform(range(len(idx) + 1), __k -> list_slice(l,
          CASE WHEN __k = 0 THEN 0 ELSE kql_array_split_at(l, idx[__k]) END + 1,
          CASE WHEN __k = len(idx) THEN len(l) ELSE kql_array_split_at(l, idx[__k + 1]) END))
        """,

        // The 0-based index of the occurrence-th element equal to v among the length elements from start (-1 for all
        // the rest; a negative start counts from the end): -1 when there is none, NULL for occurrence < 0 or length < -1.
        """
        CREATE OR REPLACE TEMP MACRO kql_array_index_of(l, v, s, n, occurrence) AS CASE WHEN occurrence < 0 OR n < -1 THEN NULL ELSE
          coalesce(list_filter(
            range(CASE WHEN s < 0 THEN greatest(len(l) + s, 0) ELSE s END,
                  CASE WHEN n = -1 THEN len(l) ELSE least(CASE WHEN s < 0 THEN greatest(len(l) + s, 0) ELSE s END + n, len(l)) END),
            __i -> l[__i + 1] = v)[occurrence], -1) END
        """,

        // array_iff: per condition element, the when-true or when-false element (or value); null for a condition that is
        // neither a bool nor a number.
        """
        CREATE OR REPLACE TEMP MACRO kql_array_iff(conditions, t, f) AS list_transform(conditions, (__c, __i) -> CASE
          WHEN json_type(__c) = 'BOOLEAN' THEN (CASE WHEN CAST(__c AS VARCHAR) = 'true' THEN kql_pick(t, __i - 1) ELSE kql_pick(f, __i - 1) END)
          WHEN json_type(__c) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN (CASE WHEN CAST(json_extract_string(__c, '$') AS DOUBLE) <> 0 THEN kql_pick(t, __i - 1) ELSE kql_pick(f, __i - 1) END)
          END)
        """,

        // The sum of a JSON array's numbers as a real: 0 when empty, NULL when an element is not a number.
        """
        CREATE OR REPLACE TEMP MACRO kql_array_sum(l) AS CASE
          WHEN len(list_filter(l, __x -> __x IS NULL OR json_type(__x) NOT IN ('BIGINT', 'UBIGINT', 'DOUBLE'))) > 0 THEN NULL
          ELSE coalesce(list_sum(list_transform(l, __x -> CAST(json_extract_string(__x, '$') AS DOUBLE))), 0.0) END
        """,

        // How a JSON element sorts: numbers (by value), then strings, then everything else; nulls at rank nulls.
        """
        CREATE OR REPLACE TEMP MACRO kql_json_sort_key(e, nulls) AS {
          'r': CASE WHEN e IS NULL OR json_type(e) = 'NULL' THEN nulls WHEN json_type(e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 0
               WHEN json_type(e) = 'VARCHAR' THEN 1 ELSE 3 END,
          'n': CASE WHEN json_type(e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(json_extract_string(e, '$') AS DOUBLE) END,
          's': json_extract_string(e, '$')}
        """,

        // The distinct elements, in the order they first appear (a null counts as one element).
        "CREATE OR REPLACE TEMP MACRO kql_list_distinct(l) AS list_filter(l, (__x, __i) -> list_position(l, __x) = __i)",

        // True when the two lists hold the same distinct elements.
        """
        CREATE OR REPLACE TEMP MACRO kql_set_equals(a, b) AS
          len(list_filter(a, __x -> list_position(b, __x) IS NULL)) = 0 AND len(list_filter(b, __x -> list_position(a, __x) IS NULL)) = 0
        """,

        // A property bag's key/value pairs as a LIST of {key, value} (empty when it is not a bag), and a bag of such
        // pairs (the first pair of a key wins).
        """
        CREATE OR REPLACE TEMP MACRO kql_bag_entries(b) AS CASE WHEN json_type(b) = 'OBJECT' THEN
          list_transform(json_keys(b), __k -> {'key': __k, 'value': json_extract(b, '/' || replace(replace(__k, '~', '~0'), '/', '~1'))}) ELSE [] END
        """,
        "CREATE OR REPLACE TEMP MACRO kql_bag_of_entries(e) AS to_json(map_from_entries(list_filter(e, (__x, __i) -> list_position(list_transform(e, __y -> __y.key), __x.key) = __i)))",
    ];
}
