using System.Text.Json;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Plugins;

/// <summary>
/// One <c>evaluate</c> call while it is bound: the plugin, its arguments by position or name, the rows so far, and
/// the checks plugins share. Creating it checks the argument count, the argument names and the output schema.
/// </summary>
internal sealed class PluginCall
{
    private readonly Assignment?[] _args;

    public PluginCall(EvaluateOperator syntax, EvaluatePlugin plugin, Relation input, Scope scope, QueryBinder query)
    {
        Syntax = syntax;
        Plugin = plugin;
        Input = input;
        Scope = scope;
        Query = query;
        if (!plugin.Arity.Accepts(syntax.Args.Count))
        {
            throw syntax.PluginPos.Error($"plugin '{plugin.Name}' takes {plugin.Arity.Describe()} argument(s) but was given {syntax.Args.Count}");
        }

        if (syntax.Schema is { } schema && !plugin.TakesOutputSchema)
        {
            throw schema.Pos.Error($"plugin '{plugin.Name}' takes no output schema");
        }

        _args = new Assignment?[Math.Max(syntax.Args.Count, plugin.ParameterNames.Count)];
        var positional = 0;
        foreach (var arg in syntax.Args)
        {
            if (arg.Name is null)
            {
                if (_args[positional] is { Name: { } named })
                {
                    throw arg.Pos.Error($"argument '{named}' of plugin '{plugin.Name}' is given twice (by name and in its place)");
                }

                _args[positional++] = arg;
                continue;
            }

            var index = IndexOfParameter(arg.Name);
            if (index < 0)
            {
                throw arg.Pos.Error($"plugin '{plugin.Name}' has no argument named '{arg.Name}'{Suggestions.DidYouMean(arg.Name, plugin.ParameterNames)}"
                    + (plugin.ParameterNames.Count == 0 ? "" : $" (arguments: {string.Join(", ", plugin.ParameterNames)})"));
            }

            if (_args[index] is not null)
            {
                throw arg.Pos.Error($"argument '{arg.Name}' of plugin '{plugin.Name}' is given twice (by name and in its place)");
            }

            _args[index] = arg;
        }
    }

    public EvaluateOperator Syntax { get; }

    public EvaluatePlugin Plugin { get; }

    /// <summary>The rows so far.</summary>
    public Relation Input { get; }

    public Scope Scope { get; }

    public QueryBinder Query { get; }

    public ExpressionBinder Expressions => Query.Expressions;

    /// <summary>The output schema written after the call, if any.</summary>
    public OutputSchema? Schema => Syntax.Schema;

    /// <summary>The arguments in positional order (a named one in its parameter's place); null where none was given.</summary>
    public IReadOnlyList<Assignment?> Args => _args;

    /// <summary>Argument <paramref name="index"/>, or null when it was not given.</summary>
    public Assignment? Arg(int index) => index < _args.Length ? _args[index] : null;

    public KqlException Error(string message) => Syntax.PluginPos.Error(message);

    /// <summary>An argument that must name a column of the input.</summary>
    public RelColumn Column(Assignment arg, string what)
    {
        if (arg.Expr is not NameExpr name)
        {
            throw arg.Expr.Pos.Error($"{Plugin.Name} needs {what} to be a column name");
        }

        return Input.Find(name.Name)
            ?? throw name.Pos.Error($"unknown column '{name.Name}'{Suggestions.DidYouMean(name.Name, Input.Columns.Select(c => c.Name))}");
    }

    /// <summary>An optional argument that must be a constant string; one of <paramref name="allowed"/> when given.</summary>
    public string? ConstantString(int index, string what, IReadOnlyCollection<string>? allowed = null)
    {
        if (Arg(index) is not { } arg)
        {
            return null;
        }

        var value = Expressions.Bind(arg.Expr, new BindContext(null, Scope));
        if (value is not { IsConstant: true, Constant: string text })
        {
            throw arg.Expr.Pos.Error($"{Plugin.Name} needs {what} to be a constant string");
        }

        if (allowed is not null && !allowed.Contains(text))
        {
            throw arg.Expr.Pos.Error($"{Plugin.Name}: unknown {what} '{text}' (expected {string.Join(", ", allowed)})");
        }

        return text;
    }

    /// <summary>An optional argument that must be a constant dynamic array of strings (<c>dynamic(['a', 'b'])</c>).</summary>
    public IReadOnlyList<string> ConstantStrings(int index, string what)
    {
        if (Arg(index) is not { } arg)
        {
            return [];
        }

        var value = Expressions.Bind(arg.Expr, new BindContext(null, Scope));
        if (value is { IsConstant: true, Constant: string json, Type: KqlType.Dynamic })
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            {
                return doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
            }
        }

        throw arg.Expr.Pos.Error($"{Plugin.Name} needs {what} to be a constant array of strings: dynamic(['a', 'b'])");
    }

    /// <summary>Runs a probe query (text columns) to learn output columns that depend on the data.</summary>
    public IReadOnlyList<string?[]> Probe(string sql) => Query.Probe(sql, Syntax.PluginPos, Plugin.Name);

    private int IndexOfParameter(string name)
    {
        for (var i = 0; i < Plugin.ParameterNames.Count; i++)
        {
            if (string.Equals(Plugin.ParameterNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
