using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;

namespace Ctdr.Application.Tests.Events;

public class EventCorrelatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private static CorrelationAlert Alert(
        long id,
        DateTimeOffset firstSeen,
        CloudProvider provider = CloudProvider.AlibabaCloud,
        bool shadow = false,
        string? accountUid = null,
        DateTimeOffset? lastSeen = null,
        params AlertEntity[] entities) =>
        new(id, "alibaba-waf-sqli", RuleSeverity.High, "TA0001", provider, accountUid, firstSeen, lastSeen ?? firstSeen, shadow, entities);

    private static AlertEntity Ip(string value) => new(EntityKind.Ip, value);

    private static AlertEntity Asset(string value) => new(EntityKind.Asset, value);

    private static AlertEntity User(string value) => new(EntityKind.User, value);

    private static AlertEntity Account(string value) => new(EntityKind.Account, value);

    private static AlertEntity AccessKey(string value) => new(EntityKind.AccessKey, value);

    private static EventCorrelator Correlator(IEnumerable<OpenEvent>? open = null, params JoinKeyKind[] joinOn)
    {
        var options = new CorrelationOptions { Window = Window };
        if (joinOn.Length > 0)
        {
            options.JoinOn = joinOn;
        }

        return new EventCorrelator(options, open ?? []);
    }

    [Fact]
    public void Correlate_JoinsFirstEvent_WhenAlertsShareAnIp()
    {
        var correlator = Correlator();

        var first = correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(5), entities: [Ip("203.0.113.7"), Asset("shop.example.com")]));

        Assert.Equal(new OpenDecision(1, EventRef.Pending(0), new JoinReason(null, T0, Window, true)), first);
        Assert.Equal(new JoinDecision(2, EventRef.Pending(0), new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0, Window, false)), second);
    }

    [Fact]
    public void Correlate_JoinsByAsset_WhenJoinOnIncludesAsset()
    {
        var correlator = Correlator(null, JoinKeyKind.Ip, JoinKeyKind.Asset);

        correlator.Correlate(Alert(1, T0, entities: [Ip("203.0.113.7"), Asset("shop.example.com")]));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(1), entities: [Ip("198.51.100.23"), Asset("shop.example.com")]));

        var join = Assert.IsType<JoinDecision>(second);
        Assert.Equal(new JoinKey(JoinKeyKind.Asset, "shop.example.com"), join.Reason.SharedKey);
    }

    [Fact]
    public void Correlate_OpensNewEvent_WhenOnlyTheAssetIsSharedAndJoinOnIsTheDefault()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, entities: [Ip("203.0.113.7"), Asset("shop.example.com")]));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(1), entities: [Ip("198.51.100.23"), Asset("shop.example.com")]));

        Assert.Equal(new OpenDecision(2, EventRef.Pending(1), new JoinReason(null, T0.AddMinutes(1), Window, true)), second);
    }

    [Fact]
    public void Correlate_JoinsByAccountUser_WhenAccountEntityAndUserAreShared()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, entities: [Ip("198.51.100.201"), Account("1335759343513432"), User("ops-admin")]));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(3), entities: [Ip("192.0.2.50"), Account("1335759343513432"), User("ops-admin")]));

        var join = Assert.IsType<JoinDecision>(second);
        Assert.Equal(new JoinKey(JoinKeyKind.AccountUser, "1335759343513432/ops-admin"), join.Reason.SharedKey);
    }

    [Fact]
    public void Correlate_JoinsByAccountUser_WhenTheAccountComesFromAccountUid()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, accountUid: "1335759343513432", entities: User("ops-admin")));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(3), entities: [Account("1335759343513432"), User("ops-admin")]));

        var join = Assert.IsType<JoinDecision>(second);
        Assert.Equal(new JoinKey(JoinKeyKind.AccountUser, "1335759343513432/ops-admin"), join.Reason.SharedKey);
    }

    [Fact]
    public void Correlate_OpensNewEvent_WhenTheSameUserIsInAnotherAccount()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, accountUid: "111", entities: User("ops-admin")));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(3), accountUid: "222", entities: User("ops-admin")));

        Assert.IsType<OpenDecision>(second);
    }

    [Fact]
    public void Correlate_JoinsByAccountAccessKey_WhenAccessKeyIsShared()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, accountUid: "1335759343513432", entities: [User("ops-admin"), AccessKey("LTAI5tSandboxOpsAdmin01")]));
        var second = correlator.Correlate(Alert(2, T0.AddMinutes(3), accountUid: "1335759343513432", entities: [User("backup-bot"), AccessKey("LTAI5tSandboxOpsAdmin01")]));

        var join = Assert.IsType<JoinDecision>(second);
        Assert.Equal(new JoinKey(JoinKeyKind.AccountAccessKey, "1335759343513432/LTAI5tSandboxOpsAdmin01"), join.Reason.SharedKey);
    }

    [Fact]
    public void JoinKeysOf_ReturnsKeysInKindOrder_WhenAlertHasEveryEntity()
    {
        var alert = Alert(1, T0, accountUid: "999", entities: [AccessKey("AK1"), User("u1"), Asset("shop.example.com"), Ip("203.0.113.7"), Account("111")]);

        var keys = EventCorrelator.JoinKeysOf(alert, [JoinKeyKind.AccountAccessKey, JoinKeyKind.Asset, JoinKeyKind.AccountUser, JoinKeyKind.Ip]);

        Assert.Equal(
            [
                new JoinKey(JoinKeyKind.Ip, "203.0.113.7"),
                new JoinKey(JoinKeyKind.Asset, "shop.example.com"),
                new JoinKey(JoinKeyKind.AccountUser, "111/u1"),
                new JoinKey(JoinKeyKind.AccountAccessKey, "111/AK1"),
            ],
            keys);
    }

    [Fact]
    public void JoinKeysOf_OmitsPairs_WhenNoAccountIsKnown()
    {
        var alert = Alert(1, T0, entities: [User("u1"), AccessKey("AK1")]);

        var keys = EventCorrelator.JoinKeysOf(alert, new CorrelationOptions().JoinOn);

        Assert.Empty(keys);
    }

    [Fact]
    public void Correlate_OpensOwnEvent_WhenAlertHasNoJoinKeys()
    {
        var correlator = Correlator();

        var first = correlator.Correlate(Alert(1, T0));
        var second = correlator.Correlate(Alert(2, T0));

        Assert.Equal(new OpenDecision(1, EventRef.Pending(0), new JoinReason(null, T0, Window, true)), first);
        Assert.Equal(new OpenDecision(2, EventRef.Pending(1), new JoinReason(null, T0, Window, true)), second);
    }

    [Theory]
    [InlineData(30 * TimeSpan.TicksPerMinute, true)]
    [InlineData((30 * TimeSpan.TicksPerMinute) + 1, false)]
    [InlineData(-30 * TimeSpan.TicksPerMinute, true)]
    [InlineData((-30 * TimeSpan.TicksPerMinute) - 1, false)]
    public void Correlate_JoinsOnlyWithinWindow_WhenAlertIsAtTheEdge(long offsetTicks, bool joins)
    {
        var correlator = Correlator([new OpenEvent(7, T0, 3, [new JoinKey(JoinKeyKind.Ip, "203.0.113.7")])]);

        var decision = correlator.Correlate(Alert(1, T0.AddTicks(offsetTicks), entities: Ip("203.0.113.7")));

        if (joins)
        {
            Assert.Equal(new JoinDecision(1, EventRef.Stored(7), new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0, Window, false)), decision);
        }
        else
        {
            Assert.Equal(new OpenDecision(1, EventRef.Pending(0), new JoinReason(null, T0.AddTicks(offsetTicks), Window, true)), decision);
        }
    }

    [Fact]
    public void Correlate_MeasuresWindowFromTheUpdatedLastSeen_WhenEarlierAlertsExtendedTheEvent()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));
        correlator.Correlate(Alert(2, T0.AddMinutes(20), lastSeen: T0.AddMinutes(25), entities: Ip("203.0.113.7")));
        var third = correlator.Correlate(Alert(3, T0.AddMinutes(55), entities: Ip("203.0.113.7")));

        Assert.Equal(new JoinDecision(3, EventRef.Pending(0), new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0.AddMinutes(25), Window, false)), third);
    }

    [Fact]
    public void Correlate_JoinsThroughKeysLearnedFromEarlierAlerts_WhenNewAlertSharesOnlyThoseKeys()
    {
        var correlator = Correlator();

        correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));
        correlator.Correlate(Alert(2, T0.AddMinutes(1), accountUid: "111", entities: [Ip("203.0.113.7"), User("ops-admin")]));
        var third = correlator.Correlate(Alert(3, T0.AddMinutes(2), accountUid: "111", entities: [Ip("192.0.2.50"), User("ops-admin")]));

        Assert.Equal(new JoinDecision(3, EventRef.Pending(0), new JoinReason(new JoinKey(JoinKeyKind.AccountUser, "111/ops-admin"), T0.AddMinutes(1), Window, false)), third);
    }

    [Fact]
    public void Correlate_ReportsFirstSharedKeyInKindOrder_WhenSeveralKeysAreShared()
    {
        var correlator = Correlator();
        correlator.Correlate(Alert(1, T0, accountUid: "111", entities: [Ip("203.0.113.7"), User("ops-admin"), AccessKey("AK1")]));

        var second = correlator.Correlate(Alert(2, T0, accountUid: "111", entities: [AccessKey("AK1"), User("ops-admin"), Ip("203.0.113.7")]));

        Assert.Equal(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), Assert.IsType<JoinDecision>(second).Reason.SharedKey);
    }

    [Fact]
    public void Correlate_OpensNewEvent_WhenTheMatchingEventReachedTheCap()
    {
        var options = new CorrelationOptions { Window = Window, MaxAlertsPerEvent = 10_000 };
        var correlator = new EventCorrelator(options, [new OpenEvent(5, T0, 9_999, [new JoinKey(JoinKeyKind.Ip, "203.0.113.7")])]);

        var last = correlator.Correlate(Alert(1, T0.AddMinutes(1), entities: Ip("203.0.113.7")));
        var overflow = correlator.Correlate(Alert(2, T0.AddMinutes(2), entities: Ip("203.0.113.7")));
        var next = correlator.Correlate(Alert(3, T0.AddMinutes(3), entities: Ip("203.0.113.7")));

        Assert.Equal(new JoinDecision(1, EventRef.Stored(5), new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0, Window, false)), last);
        Assert.Equal(new OpenDecision(2, EventRef.Pending(0), new JoinReason(null, T0.AddMinutes(2), Window, true)), overflow);
        Assert.Equal(new JoinDecision(3, EventRef.Pending(0), new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0.AddMinutes(2), Window, false)), next);
    }

    [Fact]
    public void Correlate_OpensNewEvent_WhenTheOnlyMatchingEventIsNotInTheSnapshot()
    {
        // Event 5 (handled, say) shares the IP but the caller passes only open events: here, event 6 on another IP.
        var correlator = Correlator([new OpenEvent(6, T0, 1, [new JoinKey(JoinKeyKind.Ip, "198.51.100.1")])]);

        var decision = correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));

        Assert.Equal(new OpenDecision(1, EventRef.Pending(0), new JoinReason(null, T0, Window, true)), decision);
    }

    [Fact]
    public void Correlate_ChoosesLowestStoredEventId_WhenSeveralEventsMatch()
    {
        var key = new JoinKey(JoinKeyKind.Ip, "203.0.113.7");
        var correlator = Correlator([new OpenEvent(12, T0, 1, [key]), new OpenEvent(4, T0.AddMinutes(-10), 1, [key]), new OpenEvent(9, T0, 1, [key])]);

        var decision = correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));

        Assert.Equal(new JoinDecision(1, EventRef.Stored(4), new JoinReason(key, T0.AddMinutes(-10), Window, false)), decision);
    }

    [Fact]
    public void Correlate_PrefersStoredEventOverPendingOne_WhenBothMatch()
    {
        var correlator = Correlator([new OpenEvent(30, T0, 1, [new JoinKey(JoinKeyKind.Ip, "198.51.100.1")])]);
        correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));

        var bridging = correlator.Correlate(Alert(2, T0, entities: [Ip("203.0.113.7"), Ip("198.51.100.1")]));

        Assert.Equal(EventRef.Stored(30), Assert.IsType<JoinDecision>(bridging).Event);
    }

    [Theory]
    [InlineData(CloudProvider.Aws, "alerts from AWS logs do not form events")]
    [InlineData(CloudProvider.Azure, "alerts from Azure logs do not form events")]
    [InlineData(CloudProvider.Other, "alerts from Third-party product logs do not form events")]
    public void Correlate_Skips_WhenProviderDoesNotGenerateEvents(CloudProvider provider, string reason)
    {
        var correlator = Correlator();

        var skipped = correlator.Correlate(Alert(1, T0, provider, entities: Ip("203.0.113.7")));
        var next = correlator.Correlate(Alert(2, T0, entities: Ip("203.0.113.7")));

        Assert.Equal(new SkipDecision(1, reason), skipped);
        Assert.Equal(new OpenDecision(2, EventRef.Pending(0), new JoinReason(null, T0, Window, true)), next);
    }

    [Theory]
    [InlineData(CloudProvider.AlibabaCloud)]
    [InlineData(CloudProvider.HuaweiCloud)]
    [InlineData(CloudProvider.TencentCloud)]
    public void Correlate_OpensEvent_WhenProviderGeneratesEvents(CloudProvider provider)
    {
        var decision = Correlator().Correlate(Alert(1, T0, provider, entities: Ip("203.0.113.7")));

        Assert.IsType<OpenDecision>(decision);
    }

    [Fact]
    public void Correlate_Skips_WhenAlertIsShadow()
    {
        var correlator = Correlator([new OpenEvent(3, T0, 1, [new JoinKey(JoinKeyKind.Ip, "203.0.113.7")])]);

        var decision = correlator.Correlate(Alert(1, T0, shadow: true, entities: Ip("203.0.113.7")));
        var next = correlator.Correlate(Alert(2, T0, entities: Ip("203.0.113.7")));

        Assert.Equal(new SkipDecision(1, "alerts of rules in shadow mode do not form events"), decision);
        Assert.Equal(new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0, Window, false), Assert.IsType<JoinDecision>(next).Reason);
    }

    [Fact]
    public void Correlate_ReturnsFirstDecisionAndChangesNothing_WhenAlertIdIsCorrelatedAgain()
    {
        // One place left after alert 1: counting alert 1 twice would leave none for alert 2.
        var correlator = Correlator([new OpenEvent(5, T0, 9_998, [new JoinKey(JoinKeyKind.Ip, "203.0.113.7")])]);
        var first = correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));

        var again = correlator.Correlate(Alert(1, T0, entities: Ip("203.0.113.7")));
        var other = correlator.Correlate(Alert(2, T0, entities: Ip("203.0.113.7")));

        Assert.Same(first, again);
        Assert.Equal(new JoinDecision(2, EventRef.Stored(5), new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0, Window, false)), other);
    }

    [Fact]
    public void CorrelateAll_GivesSameDecisions_WhenInputOrderDiffers()
    {
        var alerts = new[]
        {
            Alert(3, T0.AddMinutes(2), entities: Ip("203.0.113.7")),
            Alert(1, T0, entities: Ip("203.0.113.7")),
            Alert(2, T0, entities: Ip("192.0.2.1")),
        };

        var forward = Correlator().CorrelateAll(alerts);
        var backward = Correlator().CorrelateAll(alerts.Reverse());

        Assert.Equal(forward, backward);
        Assert.Equal([1L, 2L, 3L], forward.Select(d => d.AlertId));
        Assert.Equal(EventRef.Pending(0), Assert.IsType<JoinDecision>(forward[2]).Event);
    }

    [Fact]
    public void Constructor_Throws_WhenOptionsAreOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCorrelator(new CorrelationOptions { Window = TimeSpan.FromTicks(-1) }, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCorrelator(new CorrelationOptions { MaxAlertsPerEvent = 0 }, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCorrelator(new CorrelationOptions(), [new OpenEvent(0, T0, 1, [])]));
    }

    [Fact]
    public void Constructor_Throws_WhenSnapshotHasTheSameEventTwice()
    {
        OpenEvent[] open = [new(1, T0, 1, []), new(1, T0, 2, [])];

        Assert.Throws<ArgumentException>(() => new EventCorrelator(new CorrelationOptions(), open));
    }

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 100));

    private static CorrelationOptions RandomStreamOptions => new()
    {
        Window = TimeSpan.FromMinutes(10),
        MaxAlertsPerEvent = 4,
        JoinOn = [JoinKeyKind.Ip, JoinKeyKind.Asset, JoinKeyKind.AccountUser, JoinKeyKind.AccountAccessKey],
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Correlate_GivesIdenticalDecisionsThatFollowTheRules_WhenARandomStreamIsReplayed(int seed)
    {
        var (snapshot, alerts) = RandomStream(seed);
        var options = RandomStreamOptions;
        var shuffler = new Random(seed);
        var shuffled = alerts.OrderBy(_ => shuffler.Next()).ToList();

        var first = alerts.Select(new EventCorrelator(options, snapshot).Correlate).ToList();
        var second = alerts.Select(new EventCorrelator(options, snapshot).Correlate).ToList();
        var all = new EventCorrelator(options, snapshot).CorrelateAll(shuffled);

        Assert.Equal(first, second);
        Assert.Equal(first, all);
        Assert.Equal(Model(options, snapshot, alerts), first);
    }

    [Fact]
    public void RandomStreams_ExerciseEveryOutcome_WhenAllSeedsAreRun()
    {
        // Keeps the property test above meaningful: the streams join, open (also past the cap) and skip.
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 100; seed++)
        {
            var (snapshot, alerts) = RandomStream(seed);
            var correlator = new EventCorrelator(RandomStreamOptions, snapshot);
            var counts = snapshot.ToDictionary(e => EventRef.Stored(e.EventId), e => e.AlertCount);
            foreach (var decision in alerts.Select(correlator.Correlate))
            {
                outcomes.Add(decision.GetType().Name);
                if (decision is JoinDecision join)
                {
                    counts[join.Event] = counts[join.Event] + 1;
                }
                else if (decision is OpenDecision open)
                {
                    counts[open.Event] = 1;
                }
            }

            if (counts.Values.Any(c => c == RandomStreamOptions.MaxAlertsPerEvent))
            {
                outcomes.Add("Full");
            }
        }

        Assert.Equal(["Full", nameof(JoinDecision), nameof(OpenDecision), nameof(SkipDecision)], outcomes.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The documented rules recomputed naively: every event is scanned in order (stored by id, then opened ones by
    /// index) and the first that shares a key, is within the window and is not full takes the alert.
    /// </summary>
    private static List<CorrelationDecision> Model(CorrelationOptions options, List<OpenEvent> snapshot, List<CorrelationAlert> alerts)
    {
        var events = snapshot.OrderBy(e => e.EventId)
            .Select(e => (Ref: EventRef.Stored(e.EventId), Keys: e.Keys.ToHashSet(), e.LastSeen, Count: e.AlertCount))
            .ToList();
        var decisions = new List<CorrelationDecision>();
        foreach (var alert in alerts)
        {
            if (!CloudProviders.Of(alert.Provider).GeneratesEvents)
            {
                decisions.Add(new SkipDecision(alert.AlertId, $"alerts from {CloudProviders.DisplayName(alert.Provider)} logs do not form events"));
                continue;
            }

            if (alert.IsShadow)
            {
                decisions.Add(new SkipDecision(alert.AlertId, "alerts of rules in shadow mode do not form events"));
                continue;
            }

            var keys = EventCorrelator.JoinKeysOf(alert, options.JoinOn);
            var index = events.FindIndex(e =>
                keys.Any(e.Keys.Contains) && e.Count < options.MaxAlertsPerEvent && (alert.FirstSeen - e.LastSeen).Duration() <= options.Window);
            if (index < 0)
            {
                var opened = EventRef.Pending(events.Count(e => e.Ref.IsPending));
                events.Add((opened, keys.ToHashSet(), alert.LastSeen, 1));
                decisions.Add(new OpenDecision(alert.AlertId, opened, new JoinReason(null, alert.FirstSeen, options.Window, true)));
                continue;
            }

            var target = events[index];
            decisions.Add(new JoinDecision(alert.AlertId, target.Ref, new JoinReason(keys.First(target.Keys.Contains), target.LastSeen, options.Window, false)));
            target.Keys.UnionWith(keys);
            events[index] = (target.Ref, target.Keys, alert.LastSeen > target.LastSeen ? alert.LastSeen : target.LastSeen, target.Count + 1);
        }

        return decisions;
    }

    private static (List<OpenEvent> Snapshot, List<CorrelationAlert> Alerts) RandomStream(int seed)
    {
        var random = new Random(seed);
        string[] ips = ["203.0.113.7", "203.0.113.8", "198.51.100.23"];
        string[] assets = ["shop.example.com", "api.example.com"];
        string[] users = ["ops-admin", "alice"];
        string[] keys = ["AK1", "AK2"];
        CloudProvider[] providers = [CloudProvider.AlibabaCloud, CloudProvider.HuaweiCloud, CloudProvider.TencentCloud, CloudProvider.Aws, CloudProvider.Other];

        var snapshot = Enumerable.Range(1, random.Next(0, 4))
            .Select(i => new OpenEvent(i * 10, T0.AddMinutes(random.Next(-20, 20)), random.Next(1, 5), [new JoinKey(JoinKeyKind.Ip, ips[random.Next(ips.Length)])]))
            .ToList();
        var time = T0;
        var alerts = new List<CorrelationAlert>();
        for (var id = 1; id <= 40; id++)
        {
            time = time.AddMinutes(random.Next(0, 8));
            var entities = new List<AlertEntity>();
            if (random.Next(3) > 0)
            {
                entities.Add(Ip(ips[random.Next(ips.Length)]));
            }

            if (random.Next(2) == 0)
            {
                entities.Add(Asset(assets[random.Next(assets.Length)]));
            }

            if (random.Next(3) == 0)
            {
                entities.Add(User(users[random.Next(users.Length)]));
            }

            if (random.Next(4) == 0)
            {
                entities.Add(AccessKey(keys[random.Next(keys.Length)]));
            }

            alerts.Add(Alert(
                id,
                time,
                providers[random.Next(providers.Length)],
                shadow: random.Next(10) == 0,
                accountUid: random.Next(2) == 0 ? "111" : null,
                lastSeen: time.AddMinutes(random.Next(0, 5)),
                entities: [.. entities]));
        }

        return (snapshot, alerts);
    }
}
