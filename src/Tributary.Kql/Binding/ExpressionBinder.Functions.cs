using Tributary.Kql.Binding.Functions;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// Calls: aggregates, functions defined by let or stored, then the built-in functions of the FunctionRegistry.
internal sealed partial class ExpressionBinder
{
    private SqlValue BindCall(CallExpr call, BindContext ctx)
    {
        var name = call.Name;
        // A name that is both (hll_merge, tdigest_merge) is the aggregate in summarize when its arguments fit, else the function.
        if (FunctionRegistry.TryGetAggregate(name, out var aggregate)
            && !(FunctionRegistry.TryGetScalar(name, out _) && (!ctx.AllowAggregates || !aggregate.Arity.Accepts(call.Args.Count))))
        {
            if (!ctx.AllowAggregates)
            {
                throw call.Pos.Error($"aggregate function '{name}' is only allowed in summarize");
            }

            aggregate.Arity.Check(call, "aggregate");
            return aggregate.Bind(new FunctionCall(call, ctx with { AllowAggregates = false }, this));
        }

        if (ctx.Scope.Lookup(name) is FunctionBinding fb)
        {
            if (fb.Body.ScalarBody is null)
            {
                throw call.Pos.Error($"'{name}' returns a table; it cannot be used as a scalar");
            }

            var inner = new Scope(fb.DefinedIn);
            Owner.BindArguments(name, fb.Parameters, call.Args, call.Pos, ctx.Scope, inner, ctx.Row);
            Owner.BindStatements(fb.Body.Statements, inner);
            return Bind(fb.Body.ScalarBody, new BindContext(ctx.Row, inner) { Referenced = ctx.Referenced, Stages = ctx.Stages });
        }

        if (!FunctionRegistry.TryGetScalar(name, out var function))
        {
            throw name == "dynamic"
                ? call.Pos.Error("dynamic(…) takes a JSON literal")
                : call.Pos.Error($"unknown function '{name}'{Suggestions.DidYouMean(name, FunctionRegistry.CallableNames)}");
        }

        function.Arity.Check(call, "function");
        var bound = new FunctionCall(call, ctx, this);
        if (!function.BindsOwnArguments)
        {
            // Arguments are bound left to right before the function looks at them, so an argument's own error comes first.
            _ = bound.Args;
        }

        return function.Bind(bound);
    }
}
