namespace Tributary.Kql;

/// <summary>
/// The scalar types of Kusto's type system that Tributary stores and queries.
/// </summary>
/// <remarks>
/// Storage in DuckDB: <c>string</c> VARCHAR (never null in a table: an empty value is <c>""</c>),
/// <c>int</c> INTEGER, <c>long</c> BIGINT, <c>real</c> DOUBLE, <c>decimal</c> DECIMAL(38,18),
/// <c>bool</c> BOOLEAN, <c>datetime</c> BIGINT ticks of 100 ns since 0001-01-01 UTC (as .NET's
/// <see cref="System.DateTime.Ticks"/>: Kusto's precision and range), <c>timespan</c> BIGINT ticks of 100 ns, <c>guid</c> UUID, <c>dynamic</c> JSON.
/// </remarks>
public enum KqlType
{
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A 32-bit signed integer.</summary>
    Int,
    /// <summary>A 64-bit signed integer.</summary>
    Long,
    /// <summary>A 64-bit IEEE floating point number.</summary>
    Real,
    /// <summary>A 128-bit decimal number.</summary>
    Decimal,
    /// <summary>A Unicode string; its null is the empty string.</summary>
    String,
    /// <summary>A UTC point in time.</summary>
    DateTime,
    /// <summary>A time interval, stored as 100 ns ticks.</summary>
    TimeSpan,
    /// <summary>A 128-bit globally unique identifier.</summary>
    Guid,
    /// <summary>A JSON value: object, array or scalar.</summary>
    Dynamic,
}
