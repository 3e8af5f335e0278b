using System.Text.Json;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// assert-schema, project-by-names and consume: operators about the columns rather than the values.
internal sealed partial class QueryBinder
{
    /// <summary>
    /// <c>assert-schema</c>: the rows unchanged when the input has every column listed, of the type listed (it may have
    /// others); otherwise an error at the first column that is missing or of another type.
    /// </summary>
    private static Relation BindAssertSchema(Relation input, AssertSchemaOperator op)
    {
        foreach (var (expected, pos) in op.Columns)
        {
            var column = input.Find(expected.Name)
                ?? throw pos.Error($"assert-schema: the input has no column '{expected.Name}'{Suggestions.DidYouMean(expected.Name, input.Columns.Select(c => c.Name))}");
            var type = column.ListElement is null ? column.Type : KqlType.Dynamic;
            if (type != expected.Type)
            {
                throw pos.Error($"assert-schema: column '{expected.Name}' is {KqlTypes.Name(type)}, not {KqlTypes.Name(expected.Type)}");
            }
        }

        return input;
    }

    /// <summary>
    /// <c>project-by-names</c>: the columns named (by name, <c>*</c> pattern, a dynamic array of names, or
    /// <c>column_names_of(T)</c>), each once, in the order named or matched; a name no column has is ignored.
    /// </summary>
    private Relation BindProjectByNames(Relation input, ProjectByNamesOperator op, Scope scope)
    {
        var ordered = new List<RelColumn>();
        foreach (var specifier in op.Specifiers)
        {
            foreach (var name in SpecifiedNames(specifier, scope))
            {
                ordered.AddRange(MatchPatterns(input, name, specifier.Pos, mustMatch: false).Where(c => !ordered.Contains(c)));
            }
        }

        return WithColumns(input, ordered);
    }

    private IEnumerable<string> SpecifiedNames(Expr specifier, Scope scope)
    {
        if (specifier is CallExpr { Name: "column_names_of", Args: var args } call && scope.Lookup(call.Name) is null)
        {
            var table = args switch
            {
                [NameExpr n] => new NameSource(n.Pos, n.Name),
                [TabularArgExpr t] => t.Query,
                _ => throw call.Pos.Error("column_names_of takes one table: column_names_of(T)"),
            };
            return BindTabular(table, new Scope(scope)).Columns.Select(c => c.Name);
        }

        var value = Expressions.Bind(specifier, new BindContext(null, scope));
        return value switch
        {
            { IsConstant: true, Constant: string name, Type: KqlType.String } => [name],
            { IsConstant: true, Constant: string json, Type: KqlType.Dynamic } => NamesInArray(json, specifier.Pos),
            _ => throw specifier.Pos.Error("project-by-names takes constant column names: \"Name\", \"Pattern*\", dynamic([\"Name\", …]) or column_names_of(T)"),
        };
    }

    private static List<string> NamesInArray(string json, SourcePosition pos)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw pos.Error("project-by-names takes a dynamic array of column names (strings)");
        }

        return doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>
    /// <c>consume</c>: reads (counts) every row of the input and returns none, with the input's columns. Tributary's
    /// queries have no side effects, so what is left is the cost of computing the input.
    /// </summary>
    private Relation BindConsume(Relation input)
    {
        var columns = input.Columns.Select(c => c with { Type = c.ListElement is null ? c.Type : KqlType.Dynamic, ListElement = null }).ToList();
        var nulls = columns.Count == 0 ? "NULL AS __empty" : string.Join(", ", columns.Select(c => $"{Sql.Literal(null, c.Type)} AS {c.Ref}"));
        var counted = $"(SELECT count(*) AS __n FROM {input.From} AS {NextAlias()})";
        return new Relation($"(SELECT {nulls} FROM {counted} AS {NextAlias()} WHERE __n < 0)", columns);
    }
}
