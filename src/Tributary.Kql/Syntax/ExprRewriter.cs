namespace Tributary.Kql.Syntax;

/// <summary>Rebuilds a scalar expression with some of its nodes replaced (scan's <c>step.Column</c> references).</summary>
internal static class ExprRewriter
{
    /// <summary>
    /// <paramref name="expr"/> with each node for which <paramref name="replace"/> gives an expression replaced by it
    /// (its children are not visited then); tabular arguments are left as they are.
    /// </summary>
    public static Expr Rewrite(Expr expr, Func<Expr, Expr?> replace)
    {
        if (replace(expr) is { } replaced)
        {
            return replaced;
        }

        return expr switch
        {
            BinaryExpr b => b with { Left = Rewrite(b.Left, replace), Right = Rewrite(b.Right, replace) },
            UnaryExpr u => u with { Operand = Rewrite(u.Operand, replace) },
            CallExpr c => c with { Args = c.Args.Select(a => Rewrite(a, replace)).ToList() },
            MemberExpr m => m with { Target = Rewrite(m.Target, replace) },
            IndexExpr i => i with { Target = Rewrite(i.Target, replace), Index = Rewrite(i.Index, replace) },
            InExpr i => i with { Value = Rewrite(i.Value, replace), Items = i.Items.Select(x => Rewrite(x, replace)).ToList() },
            BetweenExpr b => b with { Value = Rewrite(b.Value, replace), Low = Rewrite(b.Low, replace), High = Rewrite(b.High, replace) },
            _ => expr,
        };
    }
}
