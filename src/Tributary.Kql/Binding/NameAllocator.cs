using System.Globalization;

namespace Tributary.Kql.Binding;

/// <summary>Hands out unique output column names the way Kusto does: a clash gets a numeric suffix (HostId, HostId1, HostId2 …), and unnamed expressions become Column1, Column2 ….</summary>
internal sealed class NameAllocator(IEnumerable<string> taken)
{
    private readonly HashSet<string> _taken = new(taken, StringComparer.Ordinal);
    private int _column;

    public string Allocate(string name)
    {
        if (_taken.Add(name))
        {
            return name;
        }

        for (var i = 1; ; i++)
        {
            var candidate = name + i.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    public string AllocateColumn()
    {
        while (true)
        {
            var candidate = "Column" + (++_column).ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    public void Reserve(string name) => _taken.Add(name);
}
