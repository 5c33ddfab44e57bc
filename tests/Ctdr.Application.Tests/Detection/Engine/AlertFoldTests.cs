using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.LogSources;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;

namespace Ctdr.Application.Tests.Detection.Engine;

public class AlertFoldTests
{
    private static AlertCandidate Candidate(string fingerprint, int second, long source, string uid, long? value = null, string ip = "203.0.113.7") => new(
        1,
        "rule",
        RuleMode.Live,
        fingerprint,
        T0.AddSeconds(second),
        ValueList.Of(new AlertEntity(EntityKind.Ip, ip)),
        new EvidenceRef(second * 10 + source, source, uid, T0.AddSeconds(second)),
        value,
        CloudProvider.AlibabaCloud,
        "5000000000000001",
        LogProduct.AlibabaWaf);

    private static readonly AlertCandidate[] Candidates =
    [
        Candidate("f1", 30, 1, "c", 4, ip: "198.51.100.3"),
        Candidate("f1", 10, 2, "a", 7, ip: "198.51.100.1"),
        Candidate("f1", 10, 1, "b", null, ip: "198.51.100.2"),
        Candidate("f1", 20, 1, "d", 5),
        Candidate("f2", 5, 1, "e"),
    ];

    [Fact]
    public void Fold_CountsAndKeepsSmallestEvidence_WhenSameFingerprint()
    {
        var drafts = AlertFold.Fold(Candidates, 3);

        Assert.Equal(["f1", "f2"], drafts.Select(d => d.Fingerprint));
        var f1 = drafts[0];
        Assert.Equal(4, f1.Count);
        Assert.Equal(T0.AddSeconds(10), f1.FirstSeen);
        Assert.Equal(T0.AddSeconds(30), f1.LastSeen);
        Assert.Equal([(1L, "b"), (2L, "a"), (1L, "d")], f1.Evidence.Select(e => (e.SourceId, e.Uid)));
        Assert.Equal([new AlertEntity(EntityKind.Ip, "198.51.100.2")], f1.Entities);
        Assert.Equal(7, f1.MaxValue);
        Assert.Equal(1, drafts[1].Count);
        Assert.Null(drafts[1].MaxValue);
    }

    [Fact]
    public void Fold_GivesSameDrafts_WhenCandidatesPermuted()
    {
        var expected = AlertFold.Fold(Candidates, 3);
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(expected, AlertFold.Fold(Candidates.OrderBy(_ => random.Next()).ToArray(), 3));
        }
    }

    [Fact]
    public void Merge_EqualsFoldingEverything_WhenStoredDraftMergedWithNewCandidates()
    {
        var f1 = Candidates.Where(c => c.Fingerprint == "f1").ToArray();
        for (var split = 0; split <= f1.Length; split++)
        {
            var stored = AlertFold.Fold(f1.Skip(split), 3).SingleOrDefault();
            var merged = stored is null ? AlertFold.Fold(f1.Take(split), 3).Single() : AlertFold.Merge(stored, f1.Take(split), 3);

            Assert.Equal(AlertFold.Fold(f1, 3).Single(), merged);
        }
    }

    [Fact]
    public void Merge_Throws_WhenFingerprintDiffers()
    {
        var stored = AlertFold.Fold([Candidates[0]], 3).Single();

        Assert.Throws<ArgumentException>(() => AlertFold.Merge(stored, [Candidates[4]], 3));
    }
}
