using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Web.Components.Pages.Admin;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>
/// The "New user" dialog, opened through the dialog service as the Users page opens it, over the real use case,
/// Identity store and SQLite database. Messages come from <see cref="UserInput"/> and from Identity.
/// </summary>
public sealed class CreateUserDialogTests : CtdrComponentContext
{
    private const string Email = "new-user-email";
    private const string DisplayName = "new-user-name";
    private const string Role = "new-user-role";
    private const string Password = "new-user-password";

    [Fact]
    public async Task Submit_ShowsEachFieldsMessage_WhenEmailInvalidNameEmptyAndPasswordMissing()
    {
        var dialog = await OpenAsync();
        await dialog.Provider.Find(Selector(Email)).InputAsync(new() { Value = "not-an-email" });

        await SubmitAsync(dialog);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                [Email] = "Enter a valid email address, such as name@example.com.",
                [DisplayName] = "Enter a display name.",
                [Role] = null,
                [Password] = "Enter a password.",
            },
            FieldMessages(dialog));
        Assert.False(dialog.Reference.Result.IsCompleted);
        Assert.Equal(1, await Users.CountAsync());
    }

    [Fact]
    public async Task Submit_ShowsPasswordPolicyMessagesAndCreatesNoUser_WhenPasswordIsWeak()
    {
        var dialog = await OpenAsync();
        await FillAsync(dialog, "new.analyst@ctdr.test", "New Analyst", "weakpass");

        await SubmitAsync(dialog);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                [Email] = null,
                [DisplayName] = null,
                [Role] = null,
                [Password] = "Passwords must be at least 12 characters. "
                    + "Passwords must have at least one digit ('0'-'9'). "
                    + "Passwords must have at least one uppercase ('A'-'Z').",
            },
            FieldMessages(dialog));
        Assert.False(dialog.Reference.Result.IsCompleted);
        Assert.Equal(1, await Users.CountAsync());
        Assert.Equal(0, (await Users.ListAsync("new.analyst", new PageRequest(0, 10))).TotalCount);
    }

    [Fact]
    public async Task Submit_ShowsDuplicateEmailMessage_WhenAUserHasThatEmailInAnyCase()
    {
        var (existing, _) = await Users.CreateAsync(new CreateUser("analyst@ctdr.test", "First Analyst", Roles.Analyst, CtdrWebFactory.Password));
        Assert.True(existing.Succeeded);
        var dialog = await OpenAsync();
        await FillAsync(dialog, "Analyst@CTDR.test", "Second Analyst", CtdrWebFactory.Password);

        await SubmitAsync(dialog);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                [Email] = "A user with this email address already exists.",
                [DisplayName] = null,
                [Role] = null,
                [Password] = null,
            },
            FieldMessages(dialog));
        Assert.False(dialog.Reference.Result.IsCompleted);
        Assert.Equal(2, await Users.CountAsync());
    }

    [Fact]
    public async Task Submit_CreatesTheUserAndClosesWithItsEmail_WhenInputIsValid()
    {
        var dialog = await OpenAsync();
        await FillAsync(dialog, "  new.analyst@ctdr.test ", "New Analyst", CtdrWebFactory.Password);

        await SubmitAsync(dialog);

        var result = await dialog.Reference.Result.WaitAsync(HangGuard.Timeout);
        Assert.False(result!.Canceled);
        Assert.Equal("new.analyst@ctdr.test", result.Data);
        var created = Assert.Single((await Users.ListAsync("new.analyst", new PageRequest(0, 10))).Items);
        Assert.Equal(("new.analyst@ctdr.test", "New Analyst", Roles.Analyst, false), (created.Email, created.DisplayName, created.Role, created.IsDisabled));
    }

    private async Task<OpenDialog> OpenAsync()
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<CreateUserDialog>("New user"));
        return new OpenDialog(provider, reference!);
    }

    private static async Task FillAsync(OpenDialog dialog, string email, string displayName, string password)
    {
        await dialog.Provider.Find(Selector(Email)).InputAsync(new() { Value = email });
        await dialog.Provider.Find(Selector(DisplayName)).InputAsync(new() { Value = displayName });
        await dialog.Provider.Find(Selector(Password)).InputAsync(new() { Value = password });
    }

    /// <summary>Clicks "Create user" and returns when its handler (validation, then the use case) has finished.</summary>
    private static Task SubmitAsync(OpenDialog dialog) =>
        dialog.Provider.Find(Selector("create-user-submit")).ClickAsync(new MouseEventArgs());

    /// <summary>The error message under each field, or null where the field shows none.</summary>
    private static Dictionary<string, string?> FieldMessages(OpenDialog dialog) =>
        new[] { Email, DisplayName, Role, Password }.ToDictionary(
            field => field,
            field => dialog.Provider.Find(Selector(field)).Closest(".mud-input-control")!
                .QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());

    private static string Selector(string testId) => $"[data-testid={testId}]";

    private sealed record OpenDialog(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Reference);
}
