using Ctdr.Application.Common;

namespace Ctdr.Application.Detection;

/// <summary>Where a rule comes from.</summary>
public enum RuleOrigin
{
    /// <summary>Shipped with Ctdr (the predefined library); only its enabling status can change.</summary>
    Predefined,

    /// <summary>Written by an analyst.</summary>
    Custom,

    /// <summary>Imported from a Sigma rule; goes through the same lifecycle as a custom rule.</summary>
    Sigma,
}

/// <summary>
/// A rule's lifecycle (domain.md): custom and imported rules go Draft → TestedOnSamples → TestingOnLiveData
/// (shadow: alerts recorded, never aggregated into events or responded to) → Live ⇄ Disabled. Predefined rules
/// are Live or Disabled.
/// </summary>
public enum RuleState
{
    Draft,
    TestedOnSamples,
    TestingOnLiveData,
    Live,
    Disabled,
}

/// <summary>A detection rule as stored: its text (the source of truth), facts copied out of it for lists and filters, and its state.</summary>
public sealed class DetectionRule
{
    private DetectionRule()
    {
    }

    public long Id { get; private set; }

    /// <summary>The rule's id in its text (<see cref="RuleDefinition.Id"/>); unique.</summary>
    public string Key { get; private set; } = string.Empty;

    public RuleOrigin Origin { get; private set; }

    public RuleState State { get; private set; }

    /// <summary>The rule in the text syntax (docs/rules.md).</summary>
    public string Text { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public RuleSeverity Severity { get; private set; }

    public ThreatLevel ThreatLevel { get; private set; }

    public string? Tactic { get; private set; }

    public string? Technique { get; private set; }

    /// <summary>The log products, comma-separated (empty = all), for filters.</summary>
    public string Products { get; private set; } = string.Empty;

    public string? Author { get; private set; }

    public string? License { get; private set; }

    /// <summary>For imported Sigma rules: the Sigma rule id.</summary>
    public string? SourceId { get; private set; }

    /// <summary>Incremented on every change of the text.</summary>
    public int Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string? UpdatedBy { get; private set; }

    /// <summary>When the current version passed all its samples.</summary>
    public DateTimeOffset? SamplesPassedAt { get; private set; }

    public DateTimeOffset? StateChangedAt { get; private set; }

    /// <summary>Whether the engine runs the rule, and how.</summary>
    public RuleMode? ActiveMode => State switch
    {
        RuleState.Live => RuleMode.Live,
        RuleState.TestingOnLiveData => RuleMode.Shadow,
        _ => null,
    };

    public static DetectionRule Create(RuleOrigin origin, RuleDefinition definition, string text, string? sourceId, string? by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var rule = new DetectionRule
        {
            Origin = origin,
            State = origin == RuleOrigin.Predefined ? RuleState.Disabled : RuleState.Draft,
            SourceId = sourceId,
            CreatedAt = now,
            StateChangedAt = now,
        };
        rule.Apply(definition, text, by, now);
        return rule;
    }

    /// <summary>A new version of the text. A custom rule goes back to Draft: it must be tested again.</summary>
    public Result Update(RuleDefinition definition, string text, string? by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Origin == RuleOrigin.Predefined)
        {
            return Result.Invalid("State", "Predefined rules cannot be edited; copy the rule into a custom rule instead.");
        }

        if (!string.Equals(definition.Id, Key, StringComparison.Ordinal))
        {
            return Result.Invalid("Text", $"The rule id cannot change (it is '{Key}').");
        }

        if (string.Equals(text, Text, StringComparison.Ordinal))
        {
            return Result.Ok();
        }

        Apply(definition, text, by, now);
        SamplesPassedAt = null;
        ChangeState(RuleState.Draft, now);
        return Result.Ok();
    }

    /// <summary>The shipped text of a predefined rule changed with a new version of Ctdr.</summary>
    public void RefreshPredefined(RuleDefinition definition, string text, DateTimeOffset now)
    {
        if (Origin != RuleOrigin.Predefined || string.Equals(text, Text, StringComparison.Ordinal))
        {
            return;
        }

        Apply(definition, text, "system", now);
    }

    public Result MarkSamplesPassed(DateTimeOffset now)
    {
        if (Origin == RuleOrigin.Predefined)
        {
            return Result.Invalid("State", "Predefined rules are tested when Ctdr is built.");
        }

        SamplesPassedAt = now;
        if (State == RuleState.Draft)
        {
            ChangeState(RuleState.TestedOnSamples, now);
        }

        return Result.Ok();
    }

    /// <summary>Shadow mode: alerts are recorded and shown as shadow, never aggregated into events.</summary>
    public Result StartShadow(string? by, DateTimeOffset now)
    {
        if (Origin == RuleOrigin.Predefined)
        {
            return Result.Invalid("State", "Predefined rules are enabled or disabled, not shadowed.");
        }

        if (SamplesPassedAt is null || State is RuleState.Draft)
        {
            return Result.Invalid("State", "Test the rule on its samples first: every sample must pass.");
        }

        UpdatedBy = by;
        ChangeState(RuleState.TestingOnLiveData, now);
        return Result.Ok();
    }

    public Result GoLive(string? by, DateTimeOffset now)
    {
        if (Origin == RuleOrigin.Predefined)
        {
            return Enable(by, now);
        }

        if (State is not (RuleState.TestingOnLiveData or RuleState.Disabled))
        {
            return Result.Invalid("State", "A rule goes live after testing on live data (shadow mode).");
        }

        UpdatedBy = by;
        ChangeState(RuleState.Live, now);
        return Result.Ok();
    }

    /// <summary>The Enabling Status switch of predefined rules.</summary>
    public Result Enable(string? by, DateTimeOffset now)
    {
        if (Origin != RuleOrigin.Predefined && State != RuleState.Disabled)
        {
            return Result.Invalid("State", "Only a disabled rule can be enabled; custom rules go live through testing.");
        }

        if (Origin != RuleOrigin.Predefined && SamplesPassedAt is null)
        {
            return Result.Invalid("State", "Test the rule on its samples first: every sample must pass.");
        }

        UpdatedBy = by;
        ChangeState(RuleState.Live, now);
        return Result.Ok();
    }

    public Result Disable(string? by, DateTimeOffset now)
    {
        if (Origin != RuleOrigin.Predefined && State is RuleState.Draft or RuleState.TestedOnSamples)
        {
            return Result.Invalid("State", "The rule is not running.");
        }

        UpdatedBy = by;
        ChangeState(RuleState.Disabled, now);
        return Result.Ok();
    }

    private void ChangeState(RuleState state, DateTimeOffset now)
    {
        if (State != state)
        {
            State = state;
            StateChangedAt = now;
        }

        UpdatedAt = now;
    }

    private void Apply(RuleDefinition definition, string text, string? by, DateTimeOffset now)
    {
        Key = definition.Id;
        Text = text;
        Title = definition.Title;
        Severity = definition.Severity;
        ThreatLevel = definition.EffectiveThreatLevel();
        Tactic = definition.Tactic;
        Technique = definition.Technique;
        Products = string.Join(",", definition.Products);
        Author = definition.Author;
        License = definition.License;
        Version++;
        UpdatedAt = now;
        UpdatedBy = by;
    }
}
