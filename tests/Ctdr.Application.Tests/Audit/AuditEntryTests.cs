using Ctdr.Application.Audit;
using Ctdr.Application.Common;

namespace Ctdr.Application.Tests.Audit;

public class AuditEntryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 30, 15, TimeSpan.Zero);

    [Fact]
    public void Create_RecordsWhoWhatWhenAndWhere_WhenAllFieldsGiven()
    {
        var actor = new Actor("admin-id", "admin@example.com", "192.0.2.10");

        var entry = AuditEntry.Create(Now, AuditAction.RoleChanged, actor, "user-id", "ana@example.com", "Viewer → Analyst");

        Assert.Equal(Now, entry.OccurredAt);
        Assert.Equal(AuditAction.RoleChanged, entry.Action);
        Assert.Equal("admin-id", entry.ActorId);
        Assert.Equal("admin@example.com", entry.ActorName);
        Assert.Equal("user-id", entry.TargetId);
        Assert.Equal("ana@example.com", entry.TargetName);
        Assert.Equal("Viewer → Analyst", entry.Details);
        Assert.Equal("192.0.2.10", entry.IpAddress);
        Assert.Equal("admin@example.com changed the role of ana@example.com", entry.Describe());
    }

    [Fact]
    public void Create_StoresUtc_WhenTimeHasAnOffset()
    {
        var local = new DateTimeOffset(2026, 11, 28, 17, 30, 15, TimeSpan.FromHours(8));

        var entry = AuditEntry.Create(local, AuditAction.SignedOut, new Actor("id", "a@example.com", null));

        Assert.Equal(TimeSpan.Zero, entry.OccurredAt.Offset);
        Assert.Equal(Now, entry.OccurredAt);
    }

    [Fact]
    public void Create_RemovesControlCharacters_WhenAnonymousInputCarriesThem()
    {
        // An attempted user name is attacker-controlled: it must not forge extra lines or hide text.
        var actor = Actor.Anonymous("evil@example.com\r\n2026-11-28 admin signed in\u202E\u0007", "198.51.100.7");

        var entry = AuditEntry.Create(Now, AuditAction.SignInFailed, actor);

        Assert.Equal("evil@example.com  2026-11-28 admin signed in", entry.ActorName);
        Assert.Null(entry.ActorId);
        Assert.Equal("Failed sign-in for evil@example.com  2026-11-28 admin signed in", entry.Describe());
    }

    [Fact]
    public void Create_KeepsMarkupAsPlainText_WhenNameLooksLikeHtml()
    {
        var entry = AuditEntry.Create(Now, AuditAction.SignInFailed, Actor.Anonymous("<script>alert(1)</script>", null));

        Assert.Equal("<script>alert(1)</script>", entry.ActorName);
    }

    [Fact]
    public void Create_CapsLengths_WhenTextIsTooLong()
    {
        var entry = AuditEntry.Create(
            Now,
            AuditAction.SignInFailed,
            Actor.Anonymous(new string('a', 5000), new string('9', 100)),
            details: new string('d', 10_000));

        Assert.Equal(AuditEntry.MaxNameLength, entry.ActorName.Length);
        Assert.EndsWith("…", entry.ActorName, StringComparison.Ordinal);
        Assert.Equal(AuditEntry.MaxDetailsLength, entry.Details!.Length);
        Assert.Equal(AuditEntry.MaxIpLength, entry.IpAddress!.Length);
    }

    [Fact]
    public void Create_NamesUnknownActor_WhenNameIsBlank()
    {
        var entry = AuditEntry.Create(Now, AuditAction.SignInFailed, Actor.Anonymous("  \t ", null));

        Assert.Equal("(unknown)", entry.ActorName);
    }

    [Fact]
    public void Create_Throws_WhenActionIsNotDefined()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditEntry.Create(Now, (AuditAction)999, Actor.System));
    }

    [Theory]
    [InlineData(AuditAction.SignInSucceeded, "a@example.com signed in")]
    [InlineData(AuditAction.SignInLockedOut, "a@example.com is locked out after repeated failed sign-ins")]
    [InlineData(AuditAction.SignInRefused, "Sign-in refused for a@example.com")]
    [InlineData(AuditAction.SignedOut, "a@example.com signed out")]
    [InlineData(AuditAction.FirstAdministratorCreated, "First administrator t@example.com created")]
    [InlineData(AuditAction.UserCreated, "a@example.com created user t@example.com")]
    [InlineData(AuditAction.UserDisabled, "a@example.com disabled t@example.com")]
    [InlineData(AuditAction.UserEnabled, "a@example.com enabled t@example.com")]
    [InlineData(AuditAction.PasswordReset, "a@example.com reset the password of t@example.com")]
    public void Describe_SaysWhatHappened_ForEachAction(AuditAction action, string expected)
    {
        var entry = AuditEntry.Create(Now, action, new Actor("a", "a@example.com", null), "t", "t@example.com");

        Assert.Equal(expected, entry.Describe());
    }

    [Fact]
    public void Describe_CoversEveryAction()
    {
        foreach (var action in Enum.GetValues<AuditAction>())
        {
            var text = AuditEntry.Create(Now, action, new Actor("a", "a@example.com", null), "t", "t@example.com").Describe();
            Assert.DoesNotContain(action.ToString(), text, StringComparison.Ordinal);
        }
    }
}
