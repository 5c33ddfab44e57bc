using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Logs;

/// <summary>What a normaliser knows about where a record came from.</summary>
public sealed record LogContext(long SourceId, CloudProvider Provider, string? AccountUid, string? Region, string? LogName);

/// <summary>
/// Turns one provider record (UTF-8 JSON, as the connector delivers it) into a <see cref="SecurityLog"/>. A
/// record it cannot normalise is rejected with a reason (the pipeline quarantines it); it never throws for bad
/// input. Implementations are stateless and thread-safe.
/// </summary>
/// <remarks>
/// It takes the whole <see cref="RawRecord"/>, not only its JSON, because formats without a natural record id
/// (cloud firewall traffic, some WAF rows) take the record's <see cref="RawRecord.PositionUid"/> as their uid.
/// </remarks>
public interface ILogNormalizer
{
    LogProduct Product { get; }

    bool TryNormalize(RawRecord record, LogContext context, out SecurityLog? log, out string? rejection);
}

/// <summary>The normaliser of each log product, as registered.</summary>
public sealed class LogNormalizers : ILogNormalizers
{
    private readonly Dictionary<LogProduct, ILogNormalizer> _byProduct;

    public LogNormalizers(IEnumerable<ILogNormalizer> normalizers)
    {
        ArgumentNullException.ThrowIfNull(normalizers);
        // The last registration for a product wins, as with any service: a later one replaces the default.
        _byProduct = normalizers.GroupBy(n => n.Product).ToDictionary(g => g.Key, g => g.Last());
    }

    public IReadOnlyCollection<ILogNormalizer> All => _byProduct.Values;

    public bool TryGet(LogProduct product, out ILogNormalizer normalizer) => _byProduct.TryGetValue(product, out normalizer!);

    public ILogNormalizer For(LogProduct product) =>
        _byProduct.TryGetValue(product, out var normalizer)
            ? normalizer
            : throw new InvalidOperationException($"No normaliser is registered for {product}.");
}
