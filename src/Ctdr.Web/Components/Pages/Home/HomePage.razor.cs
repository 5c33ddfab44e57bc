using Ctdr.Application.Dashboard;
using Ctdr.Application.Live;
using Microsoft.AspNetCore.Components;

namespace Ctdr.Web.Components.Pages.Home;

public partial class HomePage
{
    /// <summary>How many live messages the page keeps; older ones scroll away.</summary>
    public const int ActivityCapacity = 20;

    private static readonly string[] ActivityKinds = [LiveKinds.Audit, LiveKinds.Notice];

    private readonly List<LiveMessage> _activity = [];
    private SystemStatus? _status;
    private IReadOnlyList<ChecklistItem> _checklist = [];

    [Inject]
    private ISystemStatusProbe StatusProbe { get; set; } = default!;

    [Inject]
    private GettingStarted GettingStarted { get; set; } = default!;

    [Inject]
    private ILiveFeed LiveFeed { get; set; } = default!;

    private bool LiveConnected => RendererInfo.IsInteractive && LiveFeed.Status.Connected;

    protected override async Task OnInitializedAsync()
    {
        _status = await StatusProbe.ReadAsync();
        _checklist = await GettingStarted.BuildAsync();
    }

    private void OnLiveMessage(LiveMessage message)
    {
        _activity.Insert(0, message);
        if (_activity.Count > ActivityCapacity)
        {
            _activity.RemoveAt(_activity.Count - 1);
        }
    }
}
