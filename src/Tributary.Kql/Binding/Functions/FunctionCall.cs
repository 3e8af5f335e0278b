using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// One call of a built-in function or aggregate while it is bound: the call as written, its arguments (each
/// bound once, on first use) and the checks binders share. Lives for one call; not thread-safe.
/// </summary>
internal sealed class FunctionCall(CallExpr syntax, BindContext context, ExpressionBinder binder)
{
    private readonly SqlValue?[] _bound = new SqlValue?[syntax.Args.Count];
    private SqlValue[]? _all;

    /// <summary>The call as written; <see cref="Name"/> is the spelling used (an alias stays an alias in errors).</summary>
    public CallExpr Syntax => syntax;

    public string Name => syntax.Name;

    public SourcePosition Pos => syntax.Pos;

    public int Count => syntax.Args.Count;

    public BindContext Context => context;

    public ExpressionBinder Binder => binder;

    /// <summary>The query being bound (for the query's <c>now</c>, subqueries and aliases).</summary>
    public QueryBinder Query => binder.Owner;

    /// <summary>Every argument, bound left to right.</summary>
    public IReadOnlyList<SqlValue> Args
    {
        get
        {
            if (_all is null)
            {
                var values = new SqlValue[Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Arg(i);
                }

                _all = values;
            }

            return _all;
        }
    }

    /// <summary>Argument <paramref name="i"/> bound as a scalar. A <c>typeof(T)</c> argument binds as a null string: the function reads the type from <see cref="Syntax"/>.</summary>
    public SqlValue Arg(int i) =>
        _bound[i] ??= syntax.Args[i] is TypeOfExpr ? SqlValue.Literal(null, KqlType.String) : binder.Bind(syntax.Args[i], context);

    public SourcePosition ArgPos(int i) => syntax.Args[i].Pos;

    public KqlException Error(string message) => syntax.Pos.Error(message);

    public KqlException ArgError(int i, string message) => ArgPos(i).Error(message);

    /// <summary>Argument <paramref name="i"/> as <c>tostring()</c> gives it (never null).</summary>
    public SqlValue Text(int i) => binder.ToStringValue(Arg(i));

    /// <summary>Argument <paramref name="i"/>, which must be a bool (or a dynamic holding one).</summary>
    public SqlValue Predicate(int i) => binder.RequireBool(Arg(i), ArgPos(i), Name);

    /// <summary>Argument <paramref name="i"/>, which must be a non-negative whole number constant.</summary>
    public long ConstantLong(int i) => binder.ConstantLong(syntax.Args[i], context, Name);

    /// <summary>Converts a value, reporting a failure at the call.</summary>
    public SqlValue Convert(SqlValue value, KqlType type) => binder.Convert(value, type, syntax.Pos);

    /// <summary>Converts argument <paramref name="i"/>, reporting a failure at the argument.</summary>
    public SqlValue ConvertArg(int i, KqlType type) => binder.Convert(Arg(i), type, ArgPos(i));

    /// <summary>
    /// A value that must have <paramref name="type"/>: a dynamic is converted, a number stands for any numeric
    /// type, anything else fails with "expects <paramref name="what"/>".
    /// </summary>
    public SqlValue Typed(SqlValue value, KqlType type, string what)
    {
        if (value.Type == type || value.Type == KqlType.Dynamic)
        {
            return Convert(value, type);
        }

        if (KqlTypes.IsNumeric(type) && KqlTypes.IsNumeric(value.Type))
        {
            return value;
        }

        throw Error($"{Name}() expects {what} but argument is {KqlTypes.Name(value.Type)}");
    }

    public SqlValue DateTime(SqlValue value) => Typed(value, KqlType.DateTime, "a datetime");

    /// <summary>
    /// A numeric argument of an aggregate; a dynamic or bool is converted to real. Timespans and datetimes pass
    /// only when allowed.
    /// </summary>
    public SqlValue Numeric(SqlValue value, bool allowTimeSpan = false, bool allowDateTime = false)
    {
        if (KqlTypes.IsNumeric(value.Type) || (allowTimeSpan && value.Type == KqlType.TimeSpan) || (allowDateTime && value.Type == KqlType.DateTime))
        {
            return value;
        }

        if (value.Type == KqlType.Dynamic || value.Type == KqlType.Bool)
        {
            return Convert(value, KqlType.Real);
        }

        throw Error($"{Name} needs a numeric argument but got {KqlTypes.Name(value.Type)}");
    }

    /// <summary>Argument <paramref name="i"/> as a constant percentage (0 to 100), returned as the SQL fraction (0 to 1).</summary>
    public string Percentage(int i)
    {
        var p = Arg(i);
        if (p is { IsConstant: true, Constant: long or double } && System.Convert.ToDouble(p.Constant, CultureInfo.InvariantCulture) is var d && d is >= 0 and <= 100)
        {
            return (d / 100.0).ToString("R", CultureInfo.InvariantCulture);
        }

        throw ArgError(i, $"{Name} needs a constant percentage between 0 and 100");
    }

    /// <summary>
    /// Brings two branch values (iff's, case's, coalesce's) to one type: equal types stay, a null literal takes the
    /// other's type, numbers widen, and anything with a dynamic becomes dynamic.
    /// </summary>
    public (SqlValue, SqlValue) Unify(SqlValue a, SqlValue b)
    {
        if (a.Type == b.Type)
        {
            return (a with { ListElement = null, Sql = a.JsonSql }, b with { ListElement = null, Sql = b.JsonSql });
        }

        if (a is { IsConstant: true, Constant: null })
        {
            return (SqlValue.Literal(null, b.Type), b);
        }

        if (b is { IsConstant: true, Constant: null })
        {
            return (a, SqlValue.Literal(null, a.Type));
        }

        if (KqlTypes.IsNumeric(a.Type) && KqlTypes.IsNumeric(b.Type))
        {
            var t = ExpressionBinder.Promote(a.Type, b.Type);
            return (Convert(a, t), Convert(b, t));
        }

        if (a.Type == KqlType.Dynamic || b.Type == KqlType.Dynamic)
        {
            return (Convert(a, KqlType.Dynamic), Convert(b, KqlType.Dynamic));
        }

        throw Error($"{Name}: branches have different types, {KqlTypes.Name(a.Type)} and {KqlTypes.Name(b.Type)}");
    }

    /// <summary>Unifies all of <paramref name="values"/> and returns the common type.</summary>
    public KqlType UnifyAll(IReadOnlyList<SqlValue> values)
    {
        var first = values[0];
        for (var i = 1; i < values.Count; i++)
        {
            (first, _) = Unify(first, values[i]);
        }

        return first.Type;
    }

    /// <summary>
    /// <paramref name="value"/> as a window function may read it: a value that itself uses a window (prev, row_number …) is
    /// computed in a stage below the operator (<see cref="WindowStages"/>), as SQL cannot nest windows.
    /// </summary>
    public SqlValue Staged(SqlValue value) =>
        !value.HasWindow ? value
        : context.Stages?.Add(value) ?? throw Error($"{Name}() cannot read a value computed with prev, next or row_… here (use extend first)");

    /// <summary>Fails unless rows are serialized (sorted, or after serialize), as prev(), next() and row_number() need.</summary>
    public void RequireSerialized()
    {
        if (context.Row is not { Serialized: true })
        {
            throw Error($"{Name}() needs serialized rows: put sort, order by, top or serialize before it");
        }
    }
}
