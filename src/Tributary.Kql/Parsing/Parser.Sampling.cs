using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// sample, sample-distinct and top-hitters: operators that pick some rows or values.
internal sealed partial class Parser
{
    private SampleOperator ParseSample(SourcePosition pos)
    {
        SkipHints();
        return new SampleOperator(pos, ParseExpr());
    }

    private SampleDistinctOperator ParseSampleDistinct(SourcePosition pos)
    {
        SkipHints();
        var count = ParseExpr();
        _tokens.ExpectWord("of");
        return new SampleDistinctOperator(pos, count, ParseExpr());
    }

    private TopHittersOperator ParseTopHitters(SourcePosition pos)
    {
        var count = ParseExpr();
        _tokens.ExpectWord("of");
        var of = ParseExpr();
        var by = _tokens.AcceptWord("by") ? ParseExpr() : null;
        return new TopHittersOperator(pos, count, of, by);
    }
}
