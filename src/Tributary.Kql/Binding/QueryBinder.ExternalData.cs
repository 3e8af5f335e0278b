using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// externaldata: rows read from local files, as the host allows (TranslationOptions.ExternalData).
internal sealed partial class QueryBinder
{
    private static readonly Dictionary<string, string> DelimitedFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csv"] = ",",
        ["tsv"] = "\t",
        ["psv"] = "|",
        ["scsv"] = ";",
    };

    private static readonly string[] OtherFormats = ["txt", "json", "multijson", "parquet"];

    /// <summary>
    /// <c>externaldata</c>: the files' rows with the schema the query gives. csv, tsv, psv and scsv map fields to columns
    /// by position (missing fields are null, "" for strings); txt gives each line to the first column; json (one object a
    /// line), multijson (objects or an array of them, over any lines) and parquet map by name. Values convert by
    /// Kusto's rules (null when they do not). Only local files the host's <see cref="IExternalDataResolver"/> allows.
    /// </summary>
    private Relation BindExternalData(ExternalDataSource source, Scope scope)
    {
        if (_options.ExternalData is not { } resolver)
        {
            throw source.Pos.Error("externaldata is not available here: the host that runs this query reads no external files");
        }

        var paths = source.Locations.Select(l => ExternalPath(l, resolver, scope)).ToList();
        var format = ExternalFormat(source, paths[0].Written, scope);
        var skip = ExternalSkip(source, format, scope);
        foreach (var (name, (_, pos)) in source.Properties)
        {
            if (!name.Equals("format", StringComparison.OrdinalIgnoreCase) && !name.Equals("ignoreFirstRecord", StringComparison.OrdinalIgnoreCase))
            {
                throw pos.Error(name.Equals("ingestionMapping", StringComparison.OrdinalIgnoreCase)
                    ? "externaldata ingestionMapping is not supported: json and parquet columns map by name"
                    : $"unknown externaldata property '{name}' (expected format or ignoreFirstRecord)");
            }
        }

        var files = "[" + string.Join(", ", paths.Select(p => Sql.String(p.Full))) + "]";
        var columns = source.Columns;
        string from;
        Func<int, SqlValue> raw;
        if (DelimitedFormats.TryGetValue(format, out var delimiter))
        {
            var declared = string.Join(", ", columns.Select((_, i) => $"{Sql.String(Field(i))}: 'VARCHAR'"));
            from = $"read_csv({files}, columns={{{declared}}}, header=false, auto_detect=false, delim={Sql.String(delimiter)}, quote='\"', escape='\"', " +
                $"null_padding=true, strict_mode=false, skip={skip.ToString(CultureInfo.InvariantCulture)})";
            raw = i => new SqlValue(Sql.Ident(Field(i)), KqlType.String);
        }
        else if (format == "txt")
        {
            var lines = $"string_split(rtrim(content, chr(10)), chr(10))[{(skip + 1).ToString(CultureInfo.InvariantCulture)}:]";
            from = $"(SELECT rtrim(unnest({lines}), chr(13)) AS {Sql.Ident(Field(0))} FROM read_text({files}) WHERE content <> '')";
            raw = i => new SqlValue(i == 0 ? Sql.Ident(Field(0)) : "CAST(NULL AS VARCHAR)", KqlType.String);
        }
        else if (format == "parquet")
        {
            var row = Sql.Ident("__row");
            from = $"(SELECT to_json({row}) AS __json FROM read_parquet({files}) AS {row})";
            raw = i => ByName("__json", columns[i]);
        }
        else
        {
            var jsonFormat = format == "json" ? "newline_delimited" : "auto";
            var declared = string.Join(", ", columns.Select(c => $"{Sql.String(c.Name)}: '{(c.Type == KqlType.Dynamic ? "JSON" : "VARCHAR")}'"));
            from = $"(SELECT {string.Join(", ", columns.Select((c, i) => $"{Sql.Ident(c.Name)} AS {Sql.Ident(Field(i))}"))} " +
                $"FROM read_json({files}, format='{jsonFormat}', records=true, auto_detect=false, columns={{{declared}}}))";
            raw = i => new SqlValue(Sql.Ident(Field(i)), columns[i].Type == KqlType.Dynamic ? KqlType.Dynamic : KqlType.String);
        }

        var selects = columns.Select((c, i) =>
        {
            var value = Expressions.Convert(raw(i), c.Type, source.Pos);
            return $"{(c.Type == KqlType.String ? $"coalesce({value.Sql}, '')" : value.Sql)} AS {Sql.Ident(c.Name)}";
        });
        return new Relation($"(SELECT {string.Join(", ", selects)} FROM {from} AS {NextAlias()})", columns.Select(c => new RelColumn(c.Name, c.Type)).ToList());

        static string Field(int i) => "c" + i.ToString(CultureInfo.InvariantCulture);
    }

    private static SqlValue ByName(string json, KqlColumn column)
    {
        var pointer = Sql.String("/" + Sql.PointerSegment(column.Name));
        return column.Type == KqlType.Dynamic
            ? new SqlValue($"json_extract({json}, {pointer})", KqlType.Dynamic)
            : new SqlValue($"json_extract_string({json}, {pointer})", KqlType.String);
    }

    /// <summary>A location's local path: a constant string, a path or a file:// URL, that the resolver allows.</summary>
    private (string Written, string Full) ExternalPath(Expr location, IExternalDataResolver resolver, Scope scope)
    {
        var value = Expressions.Bind(location, new BindContext(null, scope));
        if (value is not { IsConstant: true, Constant: string { Length: > 0 } text })
        {
            throw location.Pos.Error("an externaldata location is a constant string: a file's path or a file:// URL");
        }

        var path = text;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !uri.IsFile)
            {
                var scheme = text[..text.IndexOf("://", StringComparison.Ordinal)];
                throw location.Pos.Error($"externaldata reads local files only (a path or a file:// URL), not {scheme}:// locations");
            }

            path = uri.LocalPath;
        }

        if (path.IndexOfAny(['*', '?', '[']) >= 0)
        {
            throw location.Pos.Error("an externaldata path names one file: '*', '?' and '[' are not allowed in it");
        }

        return resolver.TryResolve(path, out var full, out var reason)
            ? (text, full)
            : throw location.Pos.Error($"externaldata cannot read '{text}': {reason}");
    }

    /// <summary>The format property, or the first file's extension (a .gz ignored); csv when neither says.</summary>
    private string ExternalFormat(ExternalDataSource source, string firstPath, Scope scope)
    {
        if (source.Properties.TryGetValue("format", out var property))
        {
            var value = Expressions.Bind(property.Value, new BindContext(null, scope));
            var format = value is { IsConstant: true, Constant: string s } ? s.ToLowerInvariant() : null;
            return format is not null && (DelimitedFormats.ContainsKey(format) || OtherFormats.Contains(format))
                ? format
                : throw property.Value.Pos.Error($"unknown externaldata format (expected one of {string.Join(", ", DelimitedFormats.Keys.Concat(OtherFormats))})");
        }

        var name = firstPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? firstPath[..^3] : firstPath;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".tsv" => "tsv",
            ".psv" => "psv",
            ".scsv" => "scsv",
            ".txt" => "txt",
            ".json" or ".jsonl" or ".ndjson" => "json",
            ".parquet" => "parquet",
            _ => "csv",
        };
    }

    private int ExternalSkip(ExternalDataSource source, string format, Scope scope)
    {
        if (!source.Properties.TryGetValue("ignoreFirstRecord", out var property))
        {
            return 0;
        }

        if (Expressions.Bind(property.Value, new BindContext(null, scope)) is not { IsConstant: true, Constant: bool ignore })
        {
            throw property.Value.Pos.Error("ignoreFirstRecord is true or false");
        }

        if (ignore && !(DelimitedFormats.ContainsKey(format) || format == "txt"))
        {
            throw property.Pos.Error($"ignoreFirstRecord applies to csv, tsv, psv, scsv and txt files, not {format}");
        }

        return ignore ? 1 : 0;
    }
}
