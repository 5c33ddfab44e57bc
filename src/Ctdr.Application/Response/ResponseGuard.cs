using System.Net;
using Ctdr.Application.Common;

namespace Ctdr.Application.Response;

/// <summary>Why a block may not go ahead; null when it may.</summary>
public sealed record GuardRefusal(string Reason, bool AllowListed = false, bool CapReached = false);

/// <summary>
/// The safety envelope every blocking action passes before any cloud call (domain.md "Response safety"): the target
/// is a valid IP or CIDR, is not allow-listed, the block has an end within the limit, and automatic blocks stay
/// under the hourly cap. Pure: the caller supplies the allow-list lookup and the count of recent automatic blocks.
/// </summary>
public static class ResponseGuard
{
    /// <summary>The end of a block: the policy's, else the playbook's default duration after the start.</summary>
    public static DateTimeOffset EndOf(DateTimeOffset start, DateTimeOffset? requestedEnd, TimeSpan defaultDuration) =>
        requestedEnd ?? start + defaultDuration;

    public static GuardRefusal? Check(
        string address,
        DateTimeOffset start,
        DateTimeOffset end,
        bool automatic,
        int automaticBlocksLastHour,
        ResponseSettings settings,
        Func<string, string?> allowListReason)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(allowListReason);
        if (!IsAddress(address))
        {
            return new GuardRefusal($"'{address}' is not an IP address or CIDR.");
        }

        if (allowListReason(address) is { } reason)
        {
            return new GuardRefusal($"{address} is allow-listed ({reason}); it is never blocked.", AllowListed: true);
        }

        if (end <= start)
        {
            return new GuardRefusal("A block must end after it starts.");
        }

        if (end - start > TimeSpan.FromHours(settings.MaxBlockHours))
        {
            return new GuardRefusal($"A block lasts at most {Invariant.Text(settings.MaxBlockHours)} hours.");
        }

        if (automatic && automaticBlocksLastHour >= settings.MaxAutomaticBlocksPerHour)
        {
            return new GuardRefusal($"The cap of {Invariant.Text(settings.MaxAutomaticBlocksPerHour)} automatic blocks per hour is reached.", CapReached: true);
        }

        return null;
    }

    public static bool IsAddress(string value) =>
        IPAddress.TryParse(value, out _) || IPNetwork.TryParse(value, out _);
}
