using System.Net;
using System.Net.Sockets;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>An address to block: one IP or a CIDR block, compared by the network it covers ("203.0.113.7" is "203.0.113.7/32").</summary>
internal sealed record WafAddress(IPNetwork Network)
{
    public bool IsSingleHost => Network.PrefixLength == (Network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    /// <summary>The IP alone for a single host, else the CIDR block.</summary>
    public string Text => IsSingleHost ? Network.BaseAddress.ToString() : Network.ToString();

    /// <summary>The address with every character a rule name cannot hold ('.', ':', '/') as '_', e.g. <c>203_0_113_7</c>.</summary>
    public string NamePart => Text.Replace('.', '_').Replace(':', '_').Replace('/', '_');

    /// <summary>An IP or CIDR (host bits must be zero); the whole address space is refused, as the clouds refuse it.</summary>
    public static WafAddress Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Trim();
        IPNetwork network;
        if (IPAddress.TryParse(text, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }
        else if (!IPNetwork.TryParse(text, out network))
        {
            throw new ArgumentException($"'{address}' is neither an IP address nor a CIDR block.", nameof(address));
        }

        return network.PrefixLength == 0
            ? throw new ArgumentException("Blocking the whole address space is refused.", nameof(address))
            : new WafAddress(network);
    }

    /// <summary>Whether a provider's text for an address (IP or CIDR) is this address; anything unparsable is not.</summary>
    public bool Matches(string? providerText)
    {
        if (providerText is null)
        {
            return false;
        }

        var text = providerText.Trim();
        if (IPAddress.TryParse(text, out var single))
        {
            return Network.Equals(new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
        }

        return IPNetwork.TryParse(text, out var network) && Network.Equals(network);
    }
}
