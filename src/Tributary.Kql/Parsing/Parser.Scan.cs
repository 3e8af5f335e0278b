using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// scan: match id, declared columns, and the steps.
internal sealed partial class Parser
{
    private static readonly HashSet<string> ScanOutputs = new(StringComparer.Ordinal) { "all", "last", "none" };

    private ScanOperator ParseScan(SourcePosition pos)
    {
        string? matchId = null;
        if (_tokens.AcceptWord("with_match_id"))
        {
            _tokens.Expect(TokenKind.Equal, "'=' after with_match_id");
            matchId = _tokens.ExpectName("a column name for the match id");
        }

        var declarations = new List<ScanDeclaration>();
        if (_tokens.AcceptWord("declare"))
        {
            _tokens.Expect(TokenKind.LParen, "'(' and the declared columns (Name: type [= default], …)");
            do
            {
                var declPos = _tokens.Pos;
                var name = _tokens.ExpectName("a column name");
                _tokens.Expect(TokenKind.Colon, $"':' and a type after '{name}'");
                var type = ParseTypeName();
                var def = _tokens.Accept(TokenKind.Equal) ? ParseExpr() : null;
                declarations.Add(new ScanDeclaration(declPos, name, type, def));
            }
            while (_tokens.Accept(TokenKind.Comma));

            _tokens.Expect(TokenKind.RParen, "')' to close the declared columns");
        }

        _tokens.ExpectWord("with");
        _tokens.Expect(TokenKind.LParen, "'(' and the scan steps (step Name: Condition;)");
        var steps = new List<ScanStep>();
        while (!_tokens.At(TokenKind.RParen))
        {
            steps.Add(ParseScanStep());
        }

        if (steps.Count == 0)
        {
            throw _tokens.Pos.Error("scan needs at least one step: step Name: Condition;");
        }

        _tokens.Expect(TokenKind.RParen, "')' to close the scan steps");
        return new ScanOperator(pos, matchId, declarations, steps);
    }

    private ScanStep ParseScanStep()
    {
        var pos = _tokens.Pos;
        _tokens.ExpectWord("step");
        var name = _tokens.ExpectName("a step name");
        var output = "all";
        if (_tokens.AcceptWord("output"))
        {
            _tokens.Expect(TokenKind.Equal, "'=' after output");
            var outputPos = _tokens.Pos;
            output = _tokens.ExpectName("all, last or none");
            if (!ScanOutputs.Contains(output))
            {
                throw outputPos.Error($"unknown step output '{output}' (expected all, last or none)");
            }
        }

        _tokens.Expect(TokenKind.Colon, $"':' and the condition of step '{name}'");
        var condition = ParseExpr();
        var assignments = new List<Assignment>();
        if (_tokens.Accept(TokenKind.FatArrow))
        {
            do
            {
                var assignmentPos = _tokens.Pos;
                var column = _tokens.ExpectName("a declared column to assign");
                _tokens.Expect(TokenKind.Equal, $"'=' after '{column}'");
                assignments.Add(new Assignment(column, ParseExpr(), assignmentPos));
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.Semicolon, $"';' to end step '{name}'");
        return new ScanStep(pos, name, output, condition, assignments);
    }
}
