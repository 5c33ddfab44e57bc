namespace Ctdr.Application.Response.AllowList;

/// <summary>Where an allow-list item comes from. Only <see cref="Manual"/> items are stored and can be removed.</summary>
public enum AllowListSource
{
    /// <summary>Added by a user on the Response allow-list page.</summary>
    Manual,

    /// <summary>A private, loopback, link-local, CGNAT, multicast or reserved range (built in).</summary>
    ReservedRange,

    /// <summary>An address the organisation was seen signing in from successfully in the audit trail.</summary>
    EgressSignIn,

    /// <summary>A WAF back-to-origin range of a provider, from configuration.</summary>
    BackToOrigin,
}

/// <summary>One thing that must never be blocked: its source, the stored entry's id for manual items, the normalised value and why.</summary>
public sealed record AllowListItem(AllowListSource Source, ResponseAllowListKind Kind, string Value, string Reason, long? EntryId = null)
{
    /// <summary>How the console names the source.</summary>
    public string SourceName => AllowListSources.DisplayName(Source);
}

/// <summary>
/// A block request that the allow-list refuses: the item that matched and what was asked.
/// <see cref="InsideRequest"/> is true when the allow-listed value lies inside a requested network broader than it.
/// </summary>
public sealed record AllowListHit(AllowListItem Item, string Requested, bool InsideRequest)
{
    public AllowListSource Source => Item.Source;

    public long? EntryId => Item.EntryId;

    public string Reason => Item.Reason;

    /// <summary>A sentence for the refusal, e.g. "203.0.113.0/24 covers the allow-listed 203.0.113.9 (manual: our office)."</summary>
    public string Message => InsideRequest
        ? $"{Requested} covers the allow-listed {Item.Value} ({Item.SourceName}: {Item.Reason})."
        : Requested == Item.Value
            ? $"{Requested} is allow-listed ({Item.SourceName}: {Item.Reason})."
            : $"{Requested} is allow-listed by {Item.Value} ({Item.SourceName}: {Item.Reason}).";
}

public static class AllowListSources
{
    public static string DisplayName(AllowListSource source) => source switch
    {
        AllowListSource.Manual => "manual",
        AllowListSource.ReservedRange => "private range",
        AllowListSource.EgressSignIn => "egress sign-in",
        AllowListSource.BackToOrigin => "back-to-origin",
        _ => source.ToString(),
    };
}

/// <summary>
/// The compiled allow-list, immutable and safe to share between threads. Addresses and CIDR networks live in one
/// sorted array of 128-bit blocks (IPv4 as IPv4-mapped IPv6) with, for each block, the nearest block that contains
/// it; since CIDR blocks either nest or are disjoint, a lookup is one binary search and a short walk up the nesting
/// (at most 129 levels): O(log n). Domains are two hash tables, exact names and wildcard suffixes.
/// </summary>
public sealed class AllowListMatcher
{
    private readonly AllowListItem[] _items;
    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;
    private readonly int[] _parents;
    private readonly int[] _itemOfBlock;
    private readonly Dictionary<string, int> _exactDomains;
    private readonly Dictionary<string, int> _wildcardDomains;

    private AllowListMatcher(AllowListItem[] items, (IpBlock Block, int Item)[] blocks, Dictionary<string, int> exactDomains, Dictionary<string, int> wildcardDomains)
    {
        _items = items;
        _exactDomains = exactDomains;
        _wildcardDomains = wildcardDomains;
        _starts = new UInt128[blocks.Length];
        _ends = new UInt128[blocks.Length];
        _parents = new int[blocks.Length];
        _itemOfBlock = new int[blocks.Length];
        var open = new Stack<int>();
        for (var i = 0; i < blocks.Length; i++)
        {
            _starts[i] = blocks[i].Block.First;
            _ends[i] = blocks[i].Block.Last;
            _itemOfBlock[i] = blocks[i].Item;

            // The blocks still open at this start enclose it (they nest): the innermost is its parent.
            while (open.Count > 0 && _ends[open.Peek()] < _starts[i])
            {
                open.Pop();
            }

            _parents[i] = open.Count > 0 ? open.Peek() : -1;
            open.Push(i);
        }
    }

    public static AllowListMatcher Empty { get; } = Build([]);

    /// <summary>Every item compiled in, in the order given.</summary>
    public IReadOnlyList<AllowListItem> Items => _items;

    /// <summary>
    /// Compiles the items. Address items must hold an IP or CIDR, domain items a domain name (normalised here
    /// again, so a raw value is fine); anything else is an <see cref="ArgumentException"/>.
    /// </summary>
    public static AllowListMatcher Build(IEnumerable<AllowListItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var all = items.ToArray();
        var blocks = new List<(IpBlock Block, int Item)>();
        var exact = new Dictionary<string, int>(StringComparer.Ordinal);
        var wildcard = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < all.Length; i++)
        {
            var item = all[i];
            if (item.Kind == ResponseAllowListKind.Domain)
            {
                if (!DomainName.TryNormalize(item.Value, allowWildcard: true, out var name, out var error))
                {
                    throw new ArgumentException($"Allow-list item {i}: {error}", nameof(items));
                }

                // The first item for a name wins unless a manual one follows: the user's own entry is the one credited.
                var table = name.StartsWith("*.", StringComparison.Ordinal) ? wildcard : exact;
                var key = table == wildcard ? name[2..] : name;
                if (!table.TryGetValue(key, out var existing) || (item.Source == AllowListSource.Manual && all[existing].Source != AllowListSource.Manual))
                {
                    table[key] = i;
                }
            }
            else
            {
                if (!IpBlock.TryParse(item.Value, out var block, out var error))
                {
                    throw new ArgumentException($"Allow-list item {i}: {error}", nameof(items));
                }

                blocks.Add((block, i));
            }
        }

        // Wider blocks first at the same start; among equal blocks manual items last, so the walk meets them first.
        var sorted = blocks
            .OrderBy(b => b.Block.First)
            .ThenBy(b => b.Block.PrefixLength)
            .ThenBy(b => all[b.Item].Source == AllowListSource.Manual ? 1 : 0)
            .ThenBy(b => b.Item)
            .ToArray();
        return new AllowListMatcher(all, sorted, exact, wildcard);
    }

    /// <summary>
    /// The item that forbids blocking <paramref name="address"/> (an IP or a CIDR network), or null when it may
    /// be blocked. A network is refused when it overlaps any allow-listed address or network, either way round;
    /// the most specific item containing the request is preferred. IPv4-mapped IPv6 is IPv4.
    /// </summary>
    /// <exception cref="ArgumentException">The text is neither an IP address nor a CIDR network.</exception>
    public AllowListHit? Match(string address)
    {
        if (!IpBlock.TryParse(address, out var block, out var error))
        {
            throw new ArgumentException(error, nameof(address));
        }

        return Match(block);
    }

    /// <summary>As <see cref="Match(string)"/>, for a parsed block.</summary>
    public AllowListHit? Match(IpBlock block)
    {
        var first = block.First;
        var last = block.Last;

        // Items that contain the request's first address: the last block starting at or before it, then its enclosers.
        // A block that reaches the first address but ends inside the request (same start, narrower) is remembered
        // while the walk looks for one that holds the whole request.
        var inside = -1;
        for (var j = LastStartAtOrBefore(first); j >= 0; j = _parents[j])
        {
            if (_ends[j] >= last)
            {
                return new AllowListHit(_items[_itemOfBlock[j]], block.ToString(), InsideRequest: false);
            }

            if (_ends[j] >= first && inside < 0)
            {
                inside = j;
            }
        }

        if (inside >= 0)
        {
            return new AllowListHit(_items[_itemOfBlock[inside]], block.ToString(), InsideRequest: true);
        }

        // Items inside the requested network: a block starting within it.
        var k = LastStartAtOrBefore(last);
        if (k >= 0 && _starts[k] >= first)
        {
            // Report the outermost such block: walk up while the parent still starts inside the request.
            while (_parents[k] >= 0 && _starts[_parents[k]] >= first)
            {
                k = _parents[k];
            }

            return new AllowListHit(_items[_itemOfBlock[k]], block.ToString(), InsideRequest: true);
        }

        return null;
    }

    /// <summary>
    /// The item that protects <paramref name="host"/>: an exact entry for the name, else the most specific wildcard
    /// (<c>*.example.com</c> covers <c>a.example.com</c> and <c>b.a.example.com</c>, not <c>example.com</c>); null when none.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a domain name.</exception>
    public AllowListHit? MatchDomain(string host)
    {
        if (!DomainName.TryNormalize(host, allowWildcard: false, out var name, out var error))
        {
            throw new ArgumentException(error, nameof(host));
        }

        if (_exactDomains.TryGetValue(name, out var index))
        {
            return new AllowListHit(_items[index], name, InsideRequest: false);
        }

        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (_wildcardDomains.TryGetValue(name[(dot + 1)..], out index))
            {
                return new AllowListHit(_items[index], name, InsideRequest: false);
            }
        }

        return null;
    }

    private int LastStartAtOrBefore(UInt128 value)
    {
        int low = 0, high = _starts.Length - 1, found = -1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            if (_starts[mid] <= value)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
