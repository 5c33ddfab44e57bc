namespace Ctdr.Infrastructure.Clouds;

/// <summary>
/// What a request signer sees of a request: method, path (not encoded), query parameters (not encoded), the
/// headers that take part in signing (including <c>Host</c> and the date header where the scheme signs them) and
/// the body. Signers are pure functions of this, the credentials and the time, so published vectors can be replayed.
/// </summary>
internal sealed record SignableRequest(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>The first header of that name (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}
