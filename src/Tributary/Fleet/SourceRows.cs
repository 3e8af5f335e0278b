using Tributary.Kql;

namespace Tributary.Fleet;

/// <summary>
/// The generated rows of one source table, sorted by <c>Timestamp</c>. Each row holds one value per column of
/// <paramref name="Table"/>, as CLR objects: <see cref="DateTime"/> (UTC, whole milliseconds) for <c>datetime</c>,
/// <see cref="string"/> for <c>string</c>, and the JSON text (a <see cref="string"/>) for <c>dynamic</c>.
/// </summary>
/// <param name="Table">The source table (one of <see cref="FleetSources.Tables"/>).</param>
/// <param name="Rows">The rows, in time order.</param>
public sealed record SourceRows(TableSchema Table, IReadOnlyList<object?[]> Rows);
