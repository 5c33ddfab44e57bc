using System.Net;

namespace Ctdr.CloudEmulator.Traffic;

/// <summary>An address or network the sandbox WAF blocks, with the rule that blocks it and an optional end.</summary>
public sealed record BlockEntry(string Cidr, string RuleId, DateTimeOffset? ExpiresAt, DateTimeOffset AddedAt);

/// <summary>
/// The WAF blocking rules of one Alibaba Cloud account. The generated WAF traffic consults it: a request from a
/// blocked address is logged as blocked by the <c>acl</c> module with that rule. Expired entries stop matching.
/// </summary>
internal sealed class BlockList
{
    private readonly Lock gate = new();
    private readonly List<(IPNetwork Network, BlockEntry Entry)> entries = [];

    /// <summary>Adds (or replaces) the entry for an IP or CIDR. Throws <see cref="FormatException"/> for anything else.</summary>
    public BlockEntry Add(string ipOrCidr, string ruleId, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var network = ParseNetwork(ipOrCidr);
        var entry = new BlockEntry(network.ToString(), ruleId, expiresAt, now);
        lock (gate)
        {
            entries.RemoveAll(e => e.Network.Equals(network));
            entries.Add((network, entry));
        }

        return entry;
    }

    /// <summary>Removes the entry for an IP or CIDR; with <paramref name="ipOrCidr"/> null, removes every entry. Returns how many.</summary>
    public int Remove(string? ipOrCidr)
    {
        lock (gate)
        {
            if (ipOrCidr is null)
            {
                var all = entries.Count;
                entries.Clear();
                return all;
            }

            var network = ParseNetwork(ipOrCidr);
            return entries.RemoveAll(e => e.Network.Equals(network));
        }
    }

    /// <summary>
    /// Replaces the entries that <paramref name="isManaged"/> claims by rule id (the WAF rules' entries) with
    /// <paramref name="derived"/>; the first rule listing a network keeps it. Other entries stay unless a derived
    /// one is for the same network.
    /// </summary>
    public void ReplaceManaged(Func<string, bool> isManaged, IEnumerable<(string Cidr, string RuleId)> derived, DateTimeOffset now)
    {
        var parsed = derived.Select(e => (Network: ParseNetwork(e.Cidr), e.RuleId)).ToList();
        lock (gate)
        {
            entries.RemoveAll(e => isManaged(e.Entry.RuleId));
            foreach (var (network, ruleId) in parsed)
            {
                if (entries.Any(e => e.Network.Equals(network) && isManaged(e.Entry.RuleId)))
                {
                    continue;
                }

                entries.RemoveAll(e => e.Network.Equals(network));
                entries.Add((network, new BlockEntry(network.ToString(), ruleId, null, now)));
            }
        }
    }

    public IReadOnlyList<BlockEntry> List(DateTimeOffset now)
    {
        lock (gate)
        {
            return entries.Where(e => e.Entry.ExpiresAt is null || e.Entry.ExpiresAt > now).Select(e => e.Entry).ToList();
        }
    }

    public BlockEntry? Match(string ip, DateTimeOffset now)
    {
        if (!IPAddress.TryParse(ip, out var address))
        {
            return null;
        }

        lock (gate)
        {
            foreach (var (network, entry) in entries)
            {
                if ((entry.ExpiresAt is null || entry.ExpiresAt > now) && network.Contains(address))
                {
                    return entry;
                }
            }
        }

        return null;
    }

    private static IPNetwork ParseNetwork(string ipOrCidr)
    {
        var text = ipOrCidr.Trim();
        if (IPAddress.TryParse(text, out var single))
        {
            return new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        throw new FormatException($"'{ipOrCidr}' is neither an IP address nor a CIDR block.");
    }
}
