using Ctdr.Application.Response;

namespace Ctdr.Application.Tests.Response;

public sealed class PlaybookFormTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly ResponseSettings Settings = new();

    private static PlaybookStep Step(PlaybookAction action, params (string Name, string Value)[] parameters) =>
        new(action, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    private static PlaybookForm Form(params PlaybookStep[] steps) => new("Contain a web attacker", "Block, then mark handled.", 24, steps);

    [Fact]
    public void Validate_Succeeds_WhenEveryStepIsWellFormed()
    {
        var form = Form(
            Step(PlaybookAction.WafBlockIp),
            Step(PlaybookAction.ChangeEventStatus, ("status", "handling"), ("reason", "blocked on the WAF")) with { When = new StepCondition("threat_score", ">=", "70") },
            Step(PlaybookAction.ChangeThreatLevel, ("level", "Serious")),
            Step(PlaybookAction.Notify, ("url", "https://hooks.example.com/ctdr")),
            Step(PlaybookAction.WafUnblockIp));

        Assert.True(form.Validate(Settings).Succeeded);
    }

    [Fact]
    public void Validate_NamesEveryProblemPerStep_WhenStepsAreWrong()
    {
        var form = Form(
            Step(PlaybookAction.WafBlockIp, ("status", "Handling")),
            Step(PlaybookAction.ChangeEventStatus, ("status", "Resolved")),
            Step(PlaybookAction.ChangeEventStatus),
            Step(PlaybookAction.ChangeThreatLevel, ("level", "Critical")),
            Step(PlaybookAction.Notify, ("url", "ftp://hooks.example.com/ctdr")),
            Step(PlaybookAction.Notify, ("url", "https://user:secret@hooks.example.com/")),
            Step(PlaybookAction.ChangeThreatLevel, ("level", "Remind"), ("reason", "x")) with { When = new StepCondition("threat_score", "contains", "high") });

        var result = form.Validate(Settings);

        Assert.Equal(
            [
                "Step 1: WafBlockIp takes no parameters ('status' given).",
                "Step 2: 'Resolved' is not a status; use Unhandled, Handling, Handled, HandlingFailed, Ignored or FalsePositive.",
                "Step 3: choose the status to set: Unhandled, Handling, Handled, HandlingFailed, Ignored or FalsePositive.",
                "Step 4: 'Critical' is not a threat level; use Serious, Suspicious or Remind.",
                "Step 5: 'ftp://hooks.example.com/ctdr' is not a webhook address; use an http or https URL.",
                "Step 6: the webhook address must not carry a user name or password.",
                "Step 7: ChangeThreatLevel takes no parameter 'reason'; it takes level.",
                "Step 7: 'threat_score contains high' is not a condition: fields threat_level, threat_score, status, rule_name, provider, account, entity_type; threat_score takes = != >= <= and a number, the others = != contains.",
            ],
            result.Errors["Steps"]);
    }

    [Fact]
    public void Validate_NamesTheNameDurationAndMissingSteps_WhenTheyAreWrong()
    {
        var form = new PlaybookForm(new string('x', 101), null, 721, []);

        var result = form.Validate(Settings);

        Assert.Equal(
            [
                "Give the playbook a name of at most 100 characters.",
                "The default block lasts between 1 and 720 hours.",
                "Add at least one step.",
            ],
            result.AllMessages());
    }

    [Theory]
    [InlineData(0, 720, false)]
    [InlineData(1, 720, true)]
    [InlineData(720, 720, true)]
    [InlineData(48, 24, false)]
    [InlineData(24, 24, true)]
    [InlineData(720, 1000, true)]
    [InlineData(721, 1000, false)]
    public void Validate_BoundsTheDefaultBlock_ByThirtyDaysAndMaxBlockHours(int hours, int maxBlockHours, bool valid)
    {
        var form = new PlaybookForm("p", null, hours, [Step(PlaybookAction.WafBlockIp)]);

        Assert.Equal(valid, form.Validate(new ResponseSettings { MaxBlockHours = maxBlockHours }).Succeeded);
    }

    [Fact]
    public void NormalizedSteps_SpellStatusesAndLevelsAsCtdrDoes_AndDropEmptyParameters()
    {
        var form = Form(
            Step(PlaybookAction.ChangeEventStatus, ("status", " handled "), ("reason", " ")),
            Step(PlaybookAction.ChangeThreatLevel, ("level", "serious")) with { When = new StepCondition("status", "=", " Unhandled ") });

        var steps = form.NormalizedSteps();

        Assert.Equal([("status", "Handled")], steps[0].Parameters.Select(p => (p.Key, p.Value)));
        Assert.Equal([("level", "Serious")], steps[1].Parameters.Select(p => (p.Key, p.Value)));
        Assert.Equal(new StepCondition("status", "=", "Unhandled"), steps[1].When);
    }

    [Fact]
    public void Revise_BumpsTheVersion_WhenThePlaybookIsCustom()
    {
        var playbook = Playbook.Create("custom-1", "Contain", null, builtIn: false, TimeSpan.FromHours(24), [Step(PlaybookAction.WafBlockIp)], "ana", Now);

        var result = playbook.Revise("Contain and mark", "now marks too", TimeSpan.FromHours(12), [Step(PlaybookAction.WafBlockIp), Step(PlaybookAction.ChangeEventStatus, ("status", "Handling"))], "bob", Now.AddHours(1));

        Assert.True(result.Succeeded);
        Assert.Equal((2, "Contain and mark", TimeSpan.FromHours(12), "bob", Now.AddHours(1)), (playbook.Version, playbook.Name, playbook.DefaultDuration, playbook.UpdatedBy, playbook.UpdatedAt));
        Assert.Equal([PlaybookAction.WafBlockIp, PlaybookAction.ChangeEventStatus], playbook.Steps.Select(s => s.Action));
    }

    [Fact]
    public void Revise_IsRefused_WhenThePlaybookIsBuiltIn()
    {
        var playbook = BuiltInPlaybooks.All(Now).Single(p => p.Key == BuiltInPlaybooks.BlockIp);

        var result = playbook.Revise("Mine now", null, TimeSpan.FromHours(1), [Step(PlaybookAction.Notify)], "mallory", Now.AddHours(1));

        Assert.Equal(["Built-in playbooks cannot be changed; create a custom playbook instead."], result.AllMessages());
        Assert.Equal((1, "Block the attacker IP on the WAF"), (playbook.Version, playbook.Name));
    }

    [Fact]
    public void Summary_ListsTheStepsInOrder_WithTheirConditions()
    {
        var text = PlaybookAdministration.Summary(
        [
            Step(PlaybookAction.WafBlockIp),
            Step(PlaybookAction.ChangeEventStatus, ("status", "Handled")) with { When = new StepCondition("threat_level", "=", "Serious") },
            Step(PlaybookAction.Notify, ("url", "https://hooks.example.com/t/secret-token")),
        ]);

        Assert.Equal("block the IP; set the status to Handled (if threat_level = Serious); notify the webhook at https://hooks.example.com", text);
    }
}
