using System.Globalization;
using System.Text.RegularExpressions;
using Tributary.Pipelines;

namespace Tributary.Operations;

/// <summary>Retention ages and sizes as people write them (<c>14d</c>, <c>forever</c>, <c>1GB</c>, <c>512MB</c>), read and written back.</summary>
public static partial class StreamUnits
{
    /// <summary>A retention age: a duration (<c>30s</c>, <c>12h</c>, <c>14d</c>) or <c>forever</c> / <c>none</c> (null: kept until deleted).</summary>
    public static bool TryParseRetention(string? text, out TimeSpan? age)
    {
        age = null;
        if (text is null)
        {
            return false;
        }

        if (text.Trim().ToLowerInvariant() is "forever" or "none" or "infinite")
        {
            return true;
        }

        if (PipelineLoader.TryParseDuration(text, out var value) && value > TimeSpan.Zero)
        {
            age = value;
            return true;
        }

        return false;
    }

    /// <summary>A size: a whole number of bytes, or with a unit B, KB, MB, GB, TB (powers of 1024; KiB … also read), e.g. <c>1GB</c>, <c>512 MB</c>.</summary>
    public static bool TryParseSize(string? text, out long bytes)
    {
        bytes = 0;
        var m = SizePattern().Match(text ?? "");
        if (!m.Success || !decimal.TryParse(m.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        var unit = m.Groups["unit"].Value.ToUpperInvariant().Replace("I", "", StringComparison.Ordinal);
        var power = unit switch
        {
            "" or "B" => 0,
            "K" or "KB" => 1,
            "M" or "MB" => 2,
            "G" or "GB" => 3,
            "T" or "TB" => 4,
            _ => -1,
        };
        if (power < 0)
        {
            return false;
        }

        var value = n;
        for (var i = 0; i < power; i++)
        {
            value *= 1024;
        }

        if (value > long.MaxValue / 2 || value != decimal.Truncate(value))
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    /// <summary>A retention age the way <see cref="TryParseRetention"/> reads it back exactly: <c>14d</c>, <c>36h</c>, <c>90s</c>, <c>1500ms</c>; null is <c>forever</c>.</summary>
    public static string FormatRetention(TimeSpan? age)
    {
        if (age is not { } t)
        {
            return "forever";
        }

        foreach (var (unit, size) in new[] { ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond) })
        {
            if (t.Ticks % size == 0)
            {
                return (t.Ticks / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return t.TotalMilliseconds.ToString("0.####", CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>Bytes for people: <c>812 B</c>, <c>4.5 KB</c>, <c>1 GB</c> (powers of 1024, at most one decimal).</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var i = 0;
        while (Math.Abs(value) >= 1024 && i < units.Length - 1)
        {
            value /= 1024;
            i++;
        }

        return (i == 0 ? bytes.ToString(CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture)) + " " + units[i];
    }

    [GeneratedRegex(@"^\s*(?<n>\d+(\.\d+)?)\s*(?<unit>[A-Za-z]*)\s*$")]
    private static partial Regex SizePattern();
}
