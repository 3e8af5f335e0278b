using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// How many arguments a function accepts: from <see cref="Min"/> to <see cref="Max"/> inclusive, with no upper
/// limit when <see cref="Max"/> is null. Rules finer than a count (case's condition/value pairs, bag_pack's
/// key/value pairs) are left to the function's binder.
/// </summary>
internal readonly record struct Arity(int Min, int? Max)
{
    public static Arity Exactly(int count) => new(count, count);

    public static Arity Between(int min, int max) => new(min, max);

    public static Arity AtLeast(int min) => new(min, null);

    public bool Accepts(int count) => count >= Min && (Max is null || count <= Max);

    /// <summary>The count as people say it: "1", "1 to 3", "2 or more".</summary>
    public string Describe() => Max switch
    {
        null => $"{Min.ToString(CultureInfo.InvariantCulture)} or more",
        int max when max == Min => Min.ToString(CultureInfo.InvariantCulture),
        int max => $"{Min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>Throws when <paramref name="call"/> has a number of arguments outside the range.</summary>
    /// <param name="call">The call as written.</param>
    /// <param name="kind">"function" or "aggregate", as the error names it.</param>
    public void Check(CallExpr call, string kind)
    {
        if (!Accepts(call.Args.Count))
        {
            throw call.Pos.Error($"{kind} '{call.Name}' takes {Describe()} argument(s) but was given {call.Args.Count}");
        }
    }
}
