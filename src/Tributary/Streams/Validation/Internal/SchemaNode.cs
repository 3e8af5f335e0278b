using System.Text.Json;
using Tributary.Streams.Validation.Keywords;

namespace Tributary.Streams.Validation.Internal;

/// <summary>
/// One compiled schema object: its constraining keywords in the order the schema file lists them. A
/// <c>$ref</c> compiles to the node it points at, so a schema referenced from many places is one node.
/// Immutable once the set is loaded, so any number of threads may validate with it.
/// </summary>
internal sealed class SchemaNode(string file, string pointer)
{
    private Keyword[] _keywords = [];

    /// <summary>The file the schema object is in.</summary>
    public string File { get; } = file;

    /// <summary>The JSON pointer of the schema object inside <see cref="File"/>.</summary>
    public string Pointer { get; } = pointer;

    /// <summary>The keywords as compiled, one for each keyword of the schema object (before <see cref="KeywordOptimizer"/>).</summary>
    public IReadOnlyList<Keyword> Compiled { get; private set; } = [];

    public void SetKeywords(Keyword[] keywords)
    {
        Compiled = keywords;
        _keywords = keywords;
    }

    /// <summary>Replaces the keywords with an equivalent, faster list (see <see cref="KeywordOptimizer"/>).</summary>
    public void Optimize(Keyword[] keywords) => _keywords = keywords;

    /// <summary>Stops at the first keyword that fails (its error, unless quiet, is in <paramref name="state"/>).</summary>
    public bool Validate(JsonElement instance, ref ValidationState state)
    {
        foreach (var keyword in _keywords)
        {
            if (!keyword.Validate(instance, ref state))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"{File}#{Pointer}";
}
