using System.Globalization;
using System.Text.Json;
using Tributary.Kql;
using Tributary.Kql.Values;
using Tributary.Query;

namespace Tributary.Charts;

/// <summary>
/// Turns a <c>make-series</c> result (one row per group, the axis and each value as dynamic arrays)
/// into one row per point, so it charts like a summarize result. Results without array columns pass through.
/// </summary>
internal static class SeriesExpander
{
    public static QueryResult Expand(QueryResult result)
    {
        var arrays = new List<int>();
        for (var c = 0; c < result.Columns.Count; c++)
        {
            if (result.Columns[c].Type == KqlType.Dynamic && result.Rows.Count > 0 && result.Rows.All(r => IsArray(r[c])))
            {
                arrays.Add(c);
            }
        }

        if (arrays.Count < 2)
        {
            return result;
        }

        // The axis is the first array of datetimes (else the first array); the others are values.
        var axis = arrays.FirstOrDefault(c => FirstElement(result, c) is { ValueKind: JsonValueKind.String } e && KqlValueParser.TryParseDateTime(e.GetString(), out _), arrays[0]);
        var axisIsTime = FirstElement(result, axis) is { ValueKind: JsonValueKind.String };
        var values = arrays.Where(c => c != axis).ToList();
        var scalars = Enumerable.Range(0, result.Columns.Count).Where(c => !arrays.Contains(c)).ToList();

        var columns = scalars.Select(c => result.Columns[c])
            .Append(new KqlColumn(result.Columns[axis].Name, axisIsTime ? KqlType.DateTime : KqlType.Real))
            .Concat(values.Select(c => new KqlColumn(result.Columns[c].Name, KqlType.Real)))
            .ToList();
        var rows = new List<object?[]>();
        foreach (var row in result.Rows)
        {
            using var axisDoc = JsonDocument.Parse((string)row[axis]!);
            var valueDocs = values.Select(c => JsonDocument.Parse((string)row[c]!)).ToList();
            try
            {
                var points = axisDoc.RootElement.GetArrayLength();
                for (var i = 0; i < points; i++)
                {
                    var cells = new List<object?>(scalars.Select(c => row[c]));
                    var x = axisDoc.RootElement[i];
                    cells.Add(axisIsTime
                        ? (KqlValueParser.TryParseDateTime(x.GetString(), out var t) ? t : null)
                        : Number(x));
                    cells.AddRange(valueDocs.Select(d => (object?)(i < d.RootElement.GetArrayLength() ? Number(d.RootElement[i]) : null)));
                    rows.Add([.. cells]);
                }
            }
            finally
            {
                valueDocs.ForEach(d => d.Dispose());
            }
        }

        return new QueryResult(columns, rows, result.Render);
    }

    private static bool IsArray(object? value) => value is string s && s.TrimStart().StartsWith('[');

    private static JsonElement? FirstElement(QueryResult result, int column)
    {
        using var doc = JsonDocument.Parse((string)result.Rows[0][column]!);
        return doc.RootElement.GetArrayLength() > 0 ? doc.RootElement[0].Clone() : null;
    }

    private static double? Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String when KqlValueParser.TryParseTimeSpan(e.GetString(), out var ts) => ts.TotalSeconds,
        JsonValueKind.String when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
