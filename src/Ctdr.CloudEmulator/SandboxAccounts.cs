namespace Ctdr.CloudEmulator;

/// <summary>
/// The accounts the sandbox cloud is seeded with. These credentials are public and only ever valid against the
/// sandbox; the console offers them as "Connect the sandbox accounts" (it reads them from <c>GET /_sandbox/accounts</c>).
/// </summary>
public static class SandboxAccounts
{
    public const string AliUid = "5000000000000001";
    public const string AlibabaRegion = "cn-hangzhou";
    public const string HuaweiRegion = "cn-north-4";

    /// <summary>The Huawei Cloud account (IAM domain) that owns the sandbox project.</summary>
    public const string HuaweiDomainId = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";
    public const string TencentRegion = "ap-guangzhou";

    /// <summary>The Alibaba account's WAF 3.0 instance (region cn-hangzhou), which protects the domains of the generated traffic.</summary>
    public const string AlibabaWafInstanceId = "waf_v3prepaid_public_cn-sbx5000000001";

    public static AlibabaSandboxAccount Alibaba { get; } = new(
        AliUid,
        AlibabaRegion,
        new AccessKeyPair("LTAI5tSandboxFullAcc0001", "SbxFullAccessSecret00000000001", "full access to every project of the account"),
        new AccessKeyPair("LTAI5tSandboxNoRead00001", "SbxReadDeniedSecret00000000001", "reads project and logstore metadata, but every read of log data answers 403 Unauthorized"),
        [
            new SlsLogStoreInfo("alibaba-waf", $"wafnew-project-{AliUid}-{AlibabaRegion}", "wafnew-logstore", 2, true, "waf_access_log", "WAF 3.0 (pay-as-you-go) access and protection log"),
            new SlsLogStoreInfo("alibaba-cloudfirewall", $"cloudfirewall-project-{AliUid}-{AlibabaRegion}", "cloudfirewall-logstore", 2, true, "cloudfirewall_access_log", "Cloud Firewall traffic log"),
            new SlsLogStoreInfo("alibaba-actiontrail", $"actiontrail-project-{AliUid}-{AlibabaRegion}", "actiontrail_sandbox-trail", 1, true, "actiontrail_audit_event", "ActionTrail trail 'sandbox-trail' delivered to SLS (the event is the JSON field 'event')"),
            new SlsLogStoreInfo("alibaba-noindex", $"wafnew-project-{AliUid}-{AlibabaRegion}", "noindex-logstore", 1, false, "waf_access_log", "a logstore without index: GetIndex and GetLogs answer IndexConfigNotExist, PullLogs works"),
        ]);

    public static HuaweiSandboxAccount Huawei { get; } = new(
        "5f0e2b1c9a8d47e6b3c2d1e0f9a8b7c6",
        HuaweiRegion,
        new AccessKeyPair("SBXHWAKSANDBOX000001", "SandboxHuaweiSecretKey000000000000000001", "AK/SK of the project (SDK-HMAC-SHA256)"),
        new LtsGroupInfo(
            "d2f7e8a1-4c3b-4e5f-9a6b-7c8d9e0f1a2b",
            "lts-group-waf",
            [
                new LtsStreamInfo("huawei-waf-attack", "0b6e3f2a-8c1d-4f7e-a9b2-c3d4e5f60718", "lts-topic-waf-attack", "WAF attack log"),
                new LtsStreamInfo("huawei-waf-access", "1c7f4a3b-9d2e-4a8f-b0c3-d4e5f6071829", "lts-topic-waf-access", "WAF access log"),
            ]));

    public static TencentSandboxAccount Tencent { get; } = new(
        "1300000001",
        TencentRegion,
        new AccessKeyPair("AKIDsbx00000000000000000000000000001", "SandboxTencentSecretKey000000001", "SecretId/SecretKey (TC3-HMAC-SHA256)"),
        [
            new ClsTopicInfo("tencent-waf", "e5b7c2a9-3f41-4d8e-b6a2-9c0d1e2f3a4b", "waf_access_log", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "WAF access log topic"),
        ]);
}

/// <summary>The sandbox's WAF protection of each provider account: which policy or instance protects which of the generated traffic's domains.</summary>
public static class SandboxWafs
{
    /// <summary>The Huawei WAF policy of the sandbox project (the <c>policy_id</c> its attack logs carry), with the cloud-mode hosts bound to it.</summary>
    public static HuaweiWafInfo Huawei { get; } = new(
        "cd081ba3d6674000acc37d7e2a4b9140",
        "policy_sandbox_web",
        [
            new WafDomainInfo("3f1a0c4d7b2e4f6a8c9d0e1f2a3b4c5d", "shop.example.com"),
            new WafDomainInfo("4a2b1d5e8c3f4a7b9d0e1f2a3b4c5d6e", "api.example.com"),
            new WafDomainInfo("5b3c2e6f9d4a4b8c0e1f2a3b4c5d6e7f", "www.example.com"),
        ]);

    /// <summary>The Tencent SaaS WAF instance of the sandbox account (the <c>instance</c> its access logs carry), with its domains.</summary>
    public static TencentWafInfo Tencent { get; } = new(
        "waf_sandbox00000001",
        "sandbox-waf-premium",
        "sparta-waf",
        "gz",
        [
            new WafDomainInfo("1300000001-shop", "shop.example.com"),
            new WafDomainInfo("1300000001-api", "api.example.com"),
            new WafDomainInfo("1300000001-www", "www.example.com"),
        ]);
}

public sealed record HuaweiWafInfo(string PolicyId, string PolicyName, IReadOnlyList<WafDomainInfo> Hosts);

public sealed record TencentWafInfo(string InstanceId, string InstanceName, string Edition, string Region, IReadOnlyList<WafDomainInfo> Domains);

/// <summary>A protected domain and the provider's id for it (Huawei host id, Tencent domain id).</summary>
public sealed record WafDomainInfo(string Id, string Name);

public sealed record AccessKeyPair(string AccessKeyId, string AccessKeySecret, string Purpose);

public sealed record AlibabaSandboxAccount(
    string AliUid,
    string Region,
    AccessKeyPair FullAccess,
    AccessKeyPair ReadDenied,
    IReadOnlyList<SlsLogStoreInfo> LogStores);

/// <summary>A seeded logstore; <see cref="Stream"/> is the name the control API uses for it.</summary>
public sealed record SlsLogStoreInfo(string Stream, string Project, string LogStore, int ShardCount, bool IndexEnabled, string Topic, string Description);

public sealed record HuaweiSandboxAccount(string ProjectId, string Region, AccessKeyPair Key, LtsGroupInfo WafLogGroup);

public sealed record LtsGroupInfo(string LogGroupId, string LogGroupName, IReadOnlyList<LtsStreamInfo> Streams);

public sealed record LtsStreamInfo(string Stream, string LogStreamId, string LogStreamName, string Description);

public sealed record TencentSandboxAccount(string AppId, string Region, AccessKeyPair Key, IReadOnlyList<ClsTopicInfo> Topics);

public sealed record ClsTopicInfo(string Stream, string TopicId, string TopicName, string LogsetId, string Description);
