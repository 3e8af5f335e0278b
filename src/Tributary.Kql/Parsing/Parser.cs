using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

/// <summary>
/// A recursive-descent parser for the KQL query language, one partial file per concern: statements
/// (<c>let</c>, <c>declare</c>, function bodies), tabular sources and operators, scalar expressions, literals.
/// </summary>
/// <remarks>
/// It reads a <see cref="TokenCursor"/>, which the command parser shares: a control command's query body is
/// parsed in place, so its errors carry the line and column of the whole command. Errors are
/// <see cref="KqlException"/> with a position. Deeply nested input is refused before it can overflow the stack.
/// </remarks>
internal sealed partial class Parser
{
    private const int MaxDepth = 200;
    private const int MaxOperators = 1000;

    private readonly TokenCursor _tokens;
    private string? _pipedInput;
    private int _depth;

    private Parser(TokenCursor tokens, string? pipedInput = null)
    {
        _tokens = tokens;
        _pipedInput = pipedInput;
    }

    /// <summary>Parses a complete query.</summary>
    public static QueryText ParseQuery(string text) => ParseQuery(text, KqlPosition.Start, null);

    /// <summary>
    /// Parses a complete query whose first character is at <paramref name="origin"/> of the text the user typed.
    /// With <paramref name="pipedInput"/>, the query may start with '|' and then reads that table (a control
    /// command's output piped into query operators).
    /// </summary>
    public static QueryText ParseQuery(string text, KqlPosition origin, string? pipedInput)
    {
        var tokens = new TokenCursor(text, origin);
        var query = new Parser(tokens, pipedInput).ParseQueryText(TokenKind.End, scalarBodyAllowed: false);
        tokens.Expect(TokenKind.End, "end of query");
        return query;
    }

    /// <summary>
    /// Parses a stored function's body (the text between its braces, which starts at <paramref name="origin"/>):
    /// <c>let</c> statements, then a tabular or a scalar expression.
    /// </summary>
    public static QueryText ParseFunctionBody(string text, KqlPosition origin)
    {
        var tokens = new TokenCursor(text, origin);
        var body = new Parser(tokens).ParseQueryText(TokenKind.End, scalarBodyAllowed: true);
        tokens.Expect(TokenKind.End, "end of the function body");
        return body;
    }

    /// <summary>
    /// Parses statements and one expression in place, up to (not past) <paramref name="terminator"/>: the body of
    /// a control command, read from the command's own tokens.
    /// </summary>
    public static QueryText ParseBody(TokenCursor tokens, TokenKind terminator, bool scalarBodyAllowed, string? pipedInput = null) =>
        new Parser(tokens, pipedInput).ParseQueryText(terminator, scalarBodyAllowed);

    /// <summary>Parses a single scalar expression (used for defaults and <c>datatable</c> values).</summary>
    public static Expr ParseExpression(string text)
    {
        var tokens = new TokenCursor(text, KqlPosition.Start);
        var expr = new Parser(tokens).ParseExpr();
        tokens.Expect(TokenKind.End, "end of expression");
        return expr;
    }

    /// <summary>Parses one scalar expression in place (a stored function's parameter default).</summary>
    public static Expr ParseExpression(TokenCursor tokens) => new Parser(tokens).ParseExpr();

    /// <summary>A function's parameter list, <c>(a:long, T:(*), s:string = 'x')</c>, from the cursor's position (stored and let functions alike).</summary>
    public static List<FunctionParameter> ParseParameterList(TokenCursor tokens) => new Parser(tokens).ParseParameterList();

    // Deeply nested input must not overflow the stack (which would kill the process).
    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw _tokens.Pos.Error($"the query nests too deeply (more than {MaxDepth} levels)");
        }
    }
}
