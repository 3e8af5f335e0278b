using System.Globalization;
using System.Text;
using System.Text.Json;
using Tributary.Kql.Values;

namespace Tributary.Kql.Sketches;

/// <summary>
/// What Kusto's tdigest() returns, held exactly: every distinct value with its weight (its count, or the sum of the
/// weights given). The dynamic form is <c>[[kind], [values…], [weights…]]</c>, values ascending — the shape Kusto's
/// own digests show for small groups. Percentiles are by nearest rank (the smallest value whose cumulative weight
/// reaches the percentage of the total), as percentile() is; exact where Kusto estimates. Not thread-safe to build;
/// the static methods are pure.
/// </summary>
internal sealed class TDigest
{
    private readonly SortedDictionary<double, long> _reals = [];
    private readonly SortedDictionary<long, long> _wholes = [];

    private TDigest(TDigestKind kind) => Kind = kind;

    public TDigestKind Kind { get; }

    private bool IsReal => Kind == TDigestKind.Real;

    /// <summary>A digest of <paramref name="values"/> (as their invariant text; null and unparsable ones skipped), each weighted 1 or by <paramref name="weights"/>.</summary>
    public static TDigest Build(TDigestKind kind, IReadOnlyList<string?> values, IReadOnlyList<double?>? weights)
    {
        var digest = new TDigest(kind);
        for (var i = 0; i < values.Count; i++)
        {
            var weight = weights is null ? 1 : i < weights.Count && weights[i] is { } w && double.IsFinite(w) && Math.Abs(w) < 9e18 ? (long)Math.Round(w) : 0;
            if (values[i] is { } text && weight > 0)
            {
                digest.Add(text, weight);
            }
        }

        return digest;
    }

    /// <summary>The digests merged (null and malformed ones skipped); null when none is a digest. Kinds must agree: the first one's wins, others are skipped.</summary>
    public static TDigest? Merge(IEnumerable<string?> digests)
    {
        TDigest? merged = null;
        foreach (var text in digests)
        {
            if (TryParse(text, out var digest) && (merged is null || merged.Kind == digest.Kind))
            {
                merged ??= new TDigest(digest.Kind);
                merged.AddAll(digest);
            }
        }

        return merged;
    }

    /// <summary>Reads a digest's dynamic form; false when <paramref name="json"/> is not one.</summary>
    public static bool TryParse(string? json, out TDigest digest)
    {
        digest = null!;
        if (json is null)
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 3 || !root[0].EnumerateArray().FirstOrDefault().TryGetInt32(out var code)
                || !Enum.IsDefined((TDigestKind)code) || root[1].GetArrayLength() != root[2].GetArrayLength())
            {
                return false;
            }

            digest = new TDigest((TDigestKind)code);
            for (var i = 0; i < root[1].GetArrayLength(); i++)
            {
                digest.Add(root[1][i].GetRawText(), root[2][i].GetInt64());
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The total weight (a double: never overflows).</summary>
    public double Total => IsReal ? _reals.Values.Sum(w => (double)w) : _wholes.Values.Sum(w => (double)w);

    /// <summary>The value at <paramref name="percent"/> (0 to 100) as a JSON value (null when empty): a number, or for datetimes and timespans Kusto's text.</summary>
    public string Percentile(double percent)
    {
        var total = Total;
        if (total == 0 || double.IsNaN(percent))
        {
            return "null";
        }

        var target = Math.Max(1, Math.Ceiling(Math.Clamp(percent, 0, 100) / 100 * total));
        double cumulative = 0;
        if (IsReal)
        {
            foreach (var (value, weight) in _reals)
            {
                cumulative += weight;
                if (cumulative >= target)
                {
                    return KqlValueFormatter.FormatReal(value);
                }
            }

            return KqlValueFormatter.FormatReal(_reals.Keys.Last());
        }

        foreach (var (value, weight) in _wholes)
        {
            cumulative += weight;
            if (cumulative >= target)
            {
                return FormatWhole(value);
            }
        }

        return FormatWhole(_wholes.Keys.Last());
    }

    /// <summary>The total weight of the values not above <paramref name="value"/> (given as invariant text); null when it is not a value of this kind.</summary>
    public double? Rank(string value)
    {
        if (IsReal)
        {
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? _reals.Where(p => p.Key <= d).Sum(p => (double)p.Value) : null;
        }

        return ParseWhole(value) is { } w ? _wholes.Where(p => p.Key <= w).Sum(p => (double)p.Value) : null;
    }

    /// <summary>The dynamic form: <c>[[kind],[values…],[weights…]]</c>.</summary>
    public string ToJson()
    {
        var values = IsReal ? _reals.Keys.Select(v => v.ToString("R", CultureInfo.InvariantCulture)) : _wholes.Keys.Select(v => v.ToString(CultureInfo.InvariantCulture));
        IEnumerable<long> weights = IsReal ? _reals.Values : _wholes.Values;
        return new StringBuilder()
            .Append("[[").Append((int)Kind).Append("],[")
            .AppendJoin(',', values).Append("],[")
            .AppendJoin(',', weights.Select(w => w.ToString(CultureInfo.InvariantCulture))).Append("]]")
            .ToString();
    }

    private void Add(string text, long weight)
    {
        if (IsReal)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                _reals[d] = _reals.GetValueOrDefault(d) + weight;
            }
        }
        else if (ParseWhole(text) is { } w)
        {
            _wholes[w] = _wholes.GetValueOrDefault(w) + weight;
        }
    }

    private void AddAll(TDigest other)
    {
        foreach (var (value, weight) in other._reals)
        {
            _reals[value] = _reals.GetValueOrDefault(value) + weight;
        }

        foreach (var (value, weight) in other._wholes)
        {
            _wholes[value] = _wholes.GetValueOrDefault(value) + weight;
        }
    }

    private static long? ParseWhole(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) ? w
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Abs(d) < 9e18 ? (long)Math.Round(d) : null;

    private string FormatWhole(long value) => Kind switch
    {
        TDigestKind.DateTime => Quote(KqlValueFormatter.FormatDateTime(new DateTime(Math.Clamp(value, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc))),
        // As a timespan prints in a dynamic value: no fraction when it is zero.
        TDigestKind.TimeSpan => Quote(KqlValueFormatter.FormatTimeSpan(new TimeSpan(value)).Replace(".0000000", "", StringComparison.Ordinal)),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Quote(string text) => "\"" + text + "\"";
}
