namespace Ctdr.CloudEmulator.Traffic;

/// <summary>What kind of request a visit is; decides what a WAF makes of it.</summary>
internal enum AttackKind
{
    None,
    SqlInjection,
    CrossSiteScripting,
    WebShell,
    DirectoryScan,
    BruteForce,
}

/// <summary>One HTTP request reaching a WAF, before any provider writes it down in its own log format.</summary>
internal sealed record Visit(
    DateTimeOffset Time,
    string ClientIp,
    int ClientPort,
    string Method,
    string Host,
    string Path,
    string Query,
    string UserAgent,
    string Referer,
    int OriginStatus,
    int ResponseBytes,
    int RequestLength,
    int RequestTimeMs,
    AttackKind Attack,
    string HitData,
    long Counter = 0)
{
    public string Uri => Query.Length == 0 ? Path : Path + "?" + Query;
}
