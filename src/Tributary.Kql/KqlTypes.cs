namespace Tributary.Kql;

/// <summary>Names, aliases and storage types of <see cref="KqlType"/>.</summary>
public static class KqlTypes
{
    /// <summary>Kusto's canonical name of a type (<c>datetime</c>, <c>real</c> …).</summary>
    public static string Name(KqlType type) => type switch
    {
        KqlType.Bool => "bool",
        KqlType.Int => "int",
        KqlType.Long => "long",
        KqlType.Real => "real",
        KqlType.Decimal => "decimal",
        KqlType.String => "string",
        KqlType.DateTime => "datetime",
        KqlType.TimeSpan => "timespan",
        KqlType.Guid => "guid",
        KqlType.Dynamic => "dynamic",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a type name, accepting Kusto's aliases (<c>double</c>, <c>date</c>, <c>time</c>, <c>boolean</c>, <c>uniqueid</c>).</summary>
    public static bool TryParse(string name, out KqlType type)
    {
        switch (name.ToLowerInvariant())
        {
            case "bool": case "boolean": type = KqlType.Bool; return true;
            case "int": case "int32": type = KqlType.Int; return true;
            case "long": case "int64": type = KqlType.Long; return true;
            case "real": case "double": type = KqlType.Real; return true;
            case "decimal": type = KqlType.Decimal; return true;
            case "string": type = KqlType.String; return true;
            case "datetime": case "date": type = KqlType.DateTime; return true;
            case "timespan": case "time": type = KqlType.TimeSpan; return true;
            case "guid": case "uniqueid": type = KqlType.Guid; return true;
            case "dynamic": type = KqlType.Dynamic; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The DuckDB column type that stores a Kusto type.</summary>
    public static string SqlType(KqlType type) => type switch
    {
        KqlType.Bool => "BOOLEAN",
        KqlType.Int => "INTEGER",
        KqlType.Long => "BIGINT",
        KqlType.Real => "DOUBLE",
        KqlType.Decimal => "DECIMAL(38,18)",
        KqlType.String => "VARCHAR",
        KqlType.DateTime => "BIGINT",
        KqlType.TimeSpan => "BIGINT",
        KqlType.Guid => "UUID",
        KqlType.Dynamic => "JSON",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>True for int, long, real and decimal.</summary>
    public static bool IsNumeric(KqlType type) => type is KqlType.Int or KqlType.Long or KqlType.Real or KqlType.Decimal;
}
