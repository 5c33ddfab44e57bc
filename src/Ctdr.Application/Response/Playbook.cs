using System.Text.Json;
using Ctdr.Application.Common;

namespace Ctdr.Application.Response;

/// <summary>What one playbook step does.</summary>
public enum PlaybookAction
{
    /// <summary>Adds the attacker IP to Ctdr's blocking rule on the WAF instances in scope (an end time is mandatory).</summary>
    WafBlockIp,

    /// <summary>Removes the IP from Ctdr's blocking rule on the WAF instances in scope.</summary>
    WafUnblockIp,

    /// <summary>Sets the event's status (parameter <c>status</c>, optional <c>reason</c>).</summary>
    ChangeEventStatus,

    /// <summary>Sets the event's threat level (parameter <c>level</c>).</summary>
    ChangeThreatLevel,

    /// <summary>Posts a JSON message about the event to a configured webhook (parameter <c>url</c>).</summary>
    Notify,
}

/// <summary>A step's condition on the event it runs for: the step runs only when the event's field compares true.</summary>
public sealed record StepCondition(string Field, string Operator, string Value);

/// <summary>One ordered step of a playbook: an action, its parameters, and an optional condition.</summary>
public sealed record PlaybookStep(PlaybookAction Action, IReadOnlyDictionary<string, string> Parameters, StepCondition? When = null)
{
    public string? Parameter(string name) => Parameters.GetValueOrDefault(name);
}

/// <summary>
/// A SOAR playbook: ordered steps of built-in actions. Built-in playbooks cannot be edited; custom ones keep a version
/// number that grows with every edit, and handling policies record the version they ran.
/// </summary>
public sealed class Playbook
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private Playbook()
    {
    }

    public long Id { get; private set; }

    /// <summary>Stable name for built-ins (<c>waf-block-ip</c>); custom playbooks get <c>custom-&lt;id&gt;</c>-like keys.</summary>
    public string Key { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public string? Description { get; private set; }

    public bool BuiltIn { get; private set; }

    public int Version { get; private set; }

    /// <summary>How long a block lasts when the policy does not say; a block always has an end.</summary>
    public TimeSpan DefaultDuration { get; private set; }

    public string StepsJson { get; private set; } = "[]";

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = string.Empty;

    public IReadOnlyList<PlaybookStep> Steps => JsonSerializer.Deserialize<List<PlaybookStep>>(StepsJson, Json) ?? [];

    public bool Blocks => Steps.Any(s => s.Action == PlaybookAction.WafBlockIp);

    public static Playbook Create(string key, string name, string? description, bool builtIn, TimeSpan defaultDuration, IReadOnlyList<PlaybookStep> steps, string by, DateTimeOffset now) => new()
    {
        Key = key,
        Name = name,
        Description = description,
        BuiltIn = builtIn,
        Version = 1,
        DefaultDuration = defaultDuration,
        StepsJson = JsonSerializer.Serialize(steps, Json),
        UpdatedAt = now,
        UpdatedBy = by,
    };

    /// <summary>A new version of a custom playbook.</summary>
    public Result Revise(string name, string? description, TimeSpan defaultDuration, IReadOnlyList<PlaybookStep> steps, string by, DateTimeOffset now)
    {
        if (BuiltIn)
        {
            return Result.Invalid("Playbook", "Built-in playbooks cannot be changed; create a custom playbook instead.");
        }

        Name = name;
        Description = description;
        DefaultDuration = defaultDuration;
        StepsJson = JsonSerializer.Serialize(steps, Json);
        Version++;
        UpdatedAt = now;
        UpdatedBy = by;
        return Result.Ok();
    }

    /// <summary>Refreshes a built-in playbook's definition when Ctdr's own changes.</summary>
    public void Refresh(Playbook shipped)
    {
        ArgumentNullException.ThrowIfNull(shipped);
        if (Name != shipped.Name || Description != shipped.Description || StepsJson != shipped.StepsJson || DefaultDuration != shipped.DefaultDuration)
        {
            Name = shipped.Name;
            Description = shipped.Description;
            StepsJson = shipped.StepsJson;
            DefaultDuration = shipped.DefaultDuration;
            Version++;
            UpdatedAt = shipped.UpdatedAt;
        }
    }
}

/// <summary>The playbooks Ctdr ships, seeded at start.</summary>
public static class BuiltInPlaybooks
{
    public const string BlockIp = "waf-block-ip";
    public const string UnblockIp = "waf-unblock-ip";
    public const string MarkHandling = "change-event-status";
    public const string RaiseThreatLevel = "change-threat-level";
    public const string Notify = "notify";

    public static readonly TimeSpan DefaultBlock = TimeSpan.FromHours(24);

    private static readonly Dictionary<string, string> None = [];

    public static IReadOnlyList<Playbook> All(DateTimeOffset now) =>
    [
        Playbook.Create(BlockIp, "Block the attacker IP on the WAF", "Adds the event's attacker IPs to Ctdr's blocking rule on every WAF instance that saw them (Alibaba Cloud, Huawei Cloud, Tencent Cloud), for 24 hours unless the policy says otherwise; verified by reading the rule back.", true, DefaultBlock,
            [new PlaybookStep(PlaybookAction.WafBlockIp, None)], "Ctdr", now),
        Playbook.Create(UnblockIp, "Unblock an IP on the WAF", "Removes the IP from Ctdr's blocking rule on the WAF instances in scope.", true, DefaultBlock,
            [new PlaybookStep(PlaybookAction.WafUnblockIp, None)], "Ctdr", now),
        Playbook.Create(MarkHandling, "Mark the event as being handled", "Sets the event's status to Handling.", true, DefaultBlock,
            [new PlaybookStep(PlaybookAction.ChangeEventStatus, new Dictionary<string, string> { ["status"] = "Handling" })], "Ctdr", now),
        Playbook.Create(RaiseThreatLevel, "Raise the threat level to serious", "Sets the event's threat level to Serious.", true, DefaultBlock,
            [new PlaybookStep(PlaybookAction.ChangeThreatLevel, new Dictionary<string, string> { ["level"] = "Serious" })], "Ctdr", now),
        Playbook.Create(Notify, "Notify the webhook", "Posts the event's summary as JSON to the webhook configured in Response:NotifyUrl.", true, DefaultBlock,
            [new PlaybookStep(PlaybookAction.Notify, None)], "Ctdr", now),
    ];
}
