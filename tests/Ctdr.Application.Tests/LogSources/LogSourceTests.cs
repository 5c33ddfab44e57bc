using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.LogSources;

public class LogSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static LogSource Waf(int interval = 5) =>
        LogSource.CreatePulled(7, LogProduct.AlibabaWaf, "Shop WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), interval, addedByPolicy: false, Now);

    private static readonly ValidityStep[] PassedSteps = [new("Credentials", ValidityStepStatus.Passed, "ok")];
    private static readonly ValidityStep[] FailedSteps = [new("Project", ValidityStepStatus.Failed, "no such project", "ProjectNotExist")];

    [Fact]
    public void CreatePulled_StartsAsDraftReadingFromAnHourBack()
    {
        var source = Waf();

        Assert.Equal(LogSourceStatus.Draft, source.Status);
        Assert.Equal("wafnew-project-5000000000000001-cn-hangzhou", source.Project);
        Assert.Equal("wafnew-logstore", source.LogStore);
        Assert.Equal(Now.AddHours(-1), source.StartAt);
        Assert.False(source.IsPulling);
        Assert.False(source.IsPushed);
    }

    [Fact]
    public void RecordValidity_ActivatesDraft_WhenPassed_AndKeepsDraft_WhenFailed()
    {
        var passing = Waf();
        passing.BeginValidation();
        Assert.Equal(LogSourceStatus.Validating, passing.Status);
        passing.RecordValidity(true, PassedSteps, Now);

        var failing = Waf();
        failing.BeginValidation();
        failing.RecordValidity(false, FailedSteps, Now);

        Assert.Equal(LogSourceStatus.Active, passing.Status);
        Assert.True(passing.IsPulling);
        Assert.Equal(LogSourceStatus.Draft, failing.Status);
        Assert.Equal(FailedSteps, failing.ValiditySteps());
        Assert.False(failing.ValidityPassed);
    }

    [Fact]
    public void PauseAndResume_FollowTheStateMachine()
    {
        var source = Waf();
        Assert.False(source.Pause());
        Assert.False(source.Resume());

        source.RecordValidity(true, PassedSteps, Now);
        Assert.True(source.Pause());
        Assert.Equal(LogSourceStatus.Paused, source.Status);
        Assert.False(source.IsDue(Now));
        Assert.True(source.Resume());
        Assert.Equal(LogSourceStatus.Active, source.Status);
        Assert.True(source.IsDue(Now));
    }

    [Fact]
    public void RecordPullFailed_BacksOffExponentially_AndMarksFailingAfterThree()
    {
        var source = Waf(interval: 5);
        source.RecordValidity(true, PassedSteps, Now);

        source.RecordPullFailed(Now, "boom", "InternalServerError", jitter: 0.5);
        Assert.Equal(Now.AddSeconds(10), source.NextAttemptAt);
        Assert.Equal(LogSourceStatus.Active, source.Status);
        source.RecordPullFailed(Now, "boom", "InternalServerError", jitter: 0.5);
        Assert.Equal(Now.AddSeconds(20), source.NextAttemptAt);
        source.RecordPullFailed(Now, "boom", "InternalServerError", jitter: 0);

        Assert.Equal(LogSourceStatus.Failing, source.Status);
        Assert.Equal(3, source.ConsecutiveFailures);
        Assert.Equal(Now.AddSeconds(40 * 0.8), source.NextAttemptAt);
        Assert.False(source.IsDue(Now.AddSeconds(31)));
        Assert.True(source.IsDue(Now.AddSeconds(32)));
        Assert.Equal("InternalServerError", source.LastErrorCode);
    }

    [Fact]
    public void RecordPullFailed_NeverBacksOffLongerThanFiveMinutes()
    {
        var source = Waf(interval: 300);
        source.RecordValidity(true, PassedSteps, Now);
        for (var i = 0; i < 20; i++)
        {
            source.RecordPullFailed(Now, "down", null, jitter: 1);
        }

        Assert.Equal(Now + (LogSource.MaxBackoff * 1.2), source.NextAttemptAt);
    }

    [Fact]
    public void RecordPullSucceeded_ClearsFailures_AndReturnsFailingToActive()
    {
        var source = Waf();
        source.RecordValidity(true, PassedSteps, Now);
        for (var i = 0; i < 3; i++)
        {
            source.RecordPullFailed(Now, "boom", "InternalServerError", 0.5);
        }

        source.RecordPullSucceeded(Now.AddMinutes(1), 500, TimeSpan.FromSeconds(2), Now.AddSeconds(50));

        Assert.Equal(LogSourceStatus.Active, source.Status);
        Assert.Equal(0, source.ConsecutiveFailures);
        Assert.Null(source.LastError);
        Assert.Null(source.NextAttemptAt);
        Assert.Equal(250, source.LastPullRecordsPerSecond);
        Assert.Equal(Now.AddSeconds(50), source.LastRecordTime);
    }

    [Fact]
    public void ChangeBinding_StartsOverAndRequiresValidation()
    {
        var source = Waf();
        source.RecordValidity(true, PassedSteps, Now);
        var versionBefore = source.CheckpointVersion;

        source.ChangeBinding(LogBinding.AlibabaWafSubscription("5000000000000001", "cn-hangzhou"));

        Assert.Equal(LogSourceStatus.Draft, source.Status);
        Assert.Null(source.Checkpoint);
        Assert.Equal(versionBefore + 1, source.CheckpointVersion);
        Assert.Null(source.ValidityPassed);
        Assert.Equal("wafng-project-5000000000000001-cn-hangzhou", source.Project);
        Assert.Equal("wafng-logstore", source.LogStore);
    }

    [Fact]
    public void CreatePushed_IsActiveAndNeverPulled()
    {
        var source = LogSource.CreatePushed(null, LogProduct.ThirdPartyOcsf, "EDR", "hash", "ctdr_abcdefg", Now);

        Assert.Equal(LogSourceStatus.Active, source.Status);
        Assert.True(source.IsPushed);
        Assert.False(source.IsPulling);
        Assert.False(source.IsDue(Now));
        Assert.True(source.Pause());
        Assert.True(source.Resume());
    }
}
