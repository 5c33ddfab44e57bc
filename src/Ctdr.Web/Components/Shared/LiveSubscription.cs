using Ctdr.Application.Access;
using Ctdr.Application.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Ctdr.Web.Components.Shared;

/// <summary>
/// Subscribes its page to the live feed while the page is shown: each message the user may see (and of the
/// requested kinds) is handed to <see cref="OnMessage"/> on the circuit's dispatcher, which re-renders the
/// page. Unsubscribes when the page goes away. Renders nothing.
/// </summary>
public sealed class LiveSubscription : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private IReadOnlyList<string> _roles = [];

    [Inject]
    private ILiveFeed Feed { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Message kinds to receive (see <see cref="LiveKinds"/>); all kinds when empty.</summary>
    [Parameter]
    public IReadOnlyCollection<string>? Kinds { get; set; }

    [Parameter]
    public EventCallback<LiveMessage> OnMessage { get; set; }

    protected override async Task OnInitializedAsync()
    {
        // Prerendering produces HTML once and is thrown away; only a live circuit subscribes.
        if (!RendererInfo.IsInteractive || AuthenticationState is null)
        {
            return;
        }

        var user = (await AuthenticationState).User;
        _roles = [.. user.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value)];
        _subscription = Feed.Subscribe(DeliverAsync);
    }

    public void Dispose() => _subscription?.Dispose();

    private async ValueTask DeliverAsync(LiveMessage message, CancellationToken cancellationToken)
    {
        if (!AccessRules.AnyGrants(_roles, message.Audience) || (Kinds is { Count: > 0 } kinds && !kinds.Contains(message.Kind)))
        {
            return;
        }

        await InvokeAsync(() => OnMessage.InvokeAsync(message));
    }
}
