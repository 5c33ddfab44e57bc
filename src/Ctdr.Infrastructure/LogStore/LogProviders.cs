using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>The registered connectors, one per provider.</summary>
internal sealed class LogConnectors(IEnumerable<ILogConnector> connectors) : ILogConnectors
{
    private readonly Dictionary<CloudProvider, ILogConnector> _byProvider = connectors.ToDictionary(c => c.Provider);

    public ILogConnector? For(CloudProvider provider) => _byProvider.GetValueOrDefault(provider);
}

/// <summary>The registered normalisers, one per log product.</summary>
internal sealed class LogNormalizers(IEnumerable<ILogNormalizer> normalizers) : ILogNormalizers
{
    private readonly Dictionary<LogProduct, ILogNormalizer> _byProduct = normalizers.ToDictionary(n => n.Product);

    public ILogNormalizer For(LogProduct product) =>
        _byProduct.TryGetValue(product, out var normalizer) ? normalizer : throw new InvalidOperationException($"No normaliser is registered for {product}.");
}
