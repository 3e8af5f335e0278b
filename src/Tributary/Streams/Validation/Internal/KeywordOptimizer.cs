using Tributary.Streams.Validation.Keywords;

namespace Tributary.Streams.Validation.Internal;

/// <summary>
/// Rewrites each node's keywords into an equivalent list that does less work per document:
/// <list type="number">
/// <item>allOf is inlined: its branches' keywords (recursively) take its place, which checks the same things
/// in the same order and stops at the same first error;</item>
/// <item>a type keyword implied by an earlier one (the same or fewer types) is dropped;</item>
/// <item>required and properties keywords that stand together (type keywords that allow objects may stand
/// between them) become one <see cref="ObjectKeyword"/>: one pass over the object instead of one each.</item>
/// </list>
/// The only change in behaviour is the order among several errors of merged properties groups (see
/// <see cref="ObjectKeyword"/>); which documents pass is unchanged.
/// </summary>
internal static class KeywordOptimizer
{
    public static void Optimize(IEnumerable<SchemaNode> nodes)
    {
        var flattened = new Dictionary<SchemaNode, List<Keyword>>(ReferenceEqualityComparer.Instance);
        var optimized = nodes.Select(n => (Node: n, Keywords: Merge(DropImpliedTypes(Flatten(n, flattened))))).ToList();
        foreach (var (node, keywords) in optimized)
        {
            node.Optimize(keywords);
        }
    }

    /// <summary>The node's compiled keywords with every allOf replaced by its branches' flattened keywords (no same-value cycles: the compiler checked).</summary>
    private static List<Keyword> Flatten(SchemaNode node, Dictionary<SchemaNode, List<Keyword>> done)
    {
        if (done.TryGetValue(node, out var list))
        {
            return list;
        }

        list = [];
        foreach (var keyword in node.Compiled)
        {
            if (keyword is AllOfKeyword allOf)
            {
                foreach (var branch in allOf.Schemas)
                {
                    list.AddRange(Flatten(branch, done));
                }
            }
            else
            {
                list.Add(keyword);
            }
        }

        done[node] = list;
        return list;
    }

    private static List<Keyword> DropImpliedTypes(List<Keyword> keywords)
    {
        var result = new List<Keyword>(keywords.Count);
        var earlier = new List<JsonTypes>();
        foreach (var keyword in keywords)
        {
            if (keyword is TypeKeyword type)
            {
                // Reached only when every earlier type passed, so a type allowing all of an earlier one's types always passes.
                var allowed = Widen(type.Allowed);
                if (earlier.Any(e => (e & ~allowed) == 0))
                {
                    continue;
                }

                earlier.Add(Widen(type.Allowed));
            }

            result.Add(keyword);
        }

        return result;
    }

    /// <summary>"number" allows integers too.</summary>
    private static JsonTypes Widen(JsonTypes types) => (types & JsonTypes.Number) != 0 ? types | JsonTypes.Integer : types;

    /// <summary>
    /// Merges runs of required/properties keywords. A type keyword that allows objects may sit inside a run: on an
    /// object it passes, on anything else the object keywords pass, so where it stands changes no outcome.
    /// </summary>
    private static Keyword[] Merge(List<Keyword> keywords)
    {
        var result = new List<Keyword>(keywords.Count);
        var run = new List<Keyword>();
        var runAt = -1;
        void Close()
        {
            if (run.Count == 1)
            {
                result.Insert(runAt, run[0]);
            }
            else if (run.Count > 1)
            {
                result.Insert(runAt, new ObjectKeyword([.. run]));
            }

            run.Clear();
            runAt = -1;
        }

        foreach (var keyword in keywords)
        {
            if (keyword is RequiredKeyword or PropertiesKeyword)
            {
                if (runAt < 0)
                {
                    runAt = result.Count;
                }

                run.Add(keyword);
            }
            else if (keyword is TypeKeyword type && (type.Allowed & JsonTypes.Object) != 0 && runAt >= 0)
            {
                result.Add(keyword);
            }
            else
            {
                Close();
                result.Add(keyword);
            }
        }

        Close();
        return [.. result];
    }
}
