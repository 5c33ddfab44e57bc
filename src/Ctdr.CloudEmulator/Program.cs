using System.Globalization;

namespace Ctdr.CloudEmulator;

/// <summary>
/// Standalone sandbox cloud: <c>dotnet run --project src/Ctdr.CloudEmulator [--urls http://127.0.0.1:5090] [--Sandbox:Seed 42]</c>.
/// Options come from appsettings.json, environment variables (<c>Sandbox__Seed</c>) and the command line.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

        var options = new SandboxOptions();
        configuration.GetSection(SandboxOptions.SectionName).Bind(options);
        options.Url = configuration["urls"] ?? configuration[SandboxOptions.SectionName + ":Url"] ?? options.Url;
        options.Url = options.Url.Split(';', StringSplitOptions.RemoveEmptyEntries)[0];

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();

        await using var sandbox = await SandboxCloud.StartAsync(options, stopping.Token);
        PrintBanner(sandbox, options);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: stop.
        }

        return 0;
    }

    private static void PrintBanner(SandboxCloud sandbox, SandboxOptions options)
    {
        var ali = SandboxAccounts.Alibaba;
        var hw = SandboxAccounts.Huawei;
        var tc = SandboxAccounts.Tencent;
        var lines = new List<string>
        {
            $"Sandbox cloud listening on {sandbox.BaseAddress} (traffic {(options.GenerateTraffic ? "on" : "off")}, seed {options.Seed?.ToString(CultureInfo.InvariantCulture) ?? "random"}).",
            "Send the provider's real Host header; the control API is under /_sandbox/ (GET /_sandbox/accounts).",
            string.Empty,
            $"Alibaba Cloud  AliUid {ali.AliUid}, region {ali.Region}, SLS endpoint {ali.Region}.log.aliyuncs.com",
            $"  full access   {ali.FullAccess.AccessKeyId} / {ali.FullAccess.AccessKeySecret}",
            $"  read denied   {ali.ReadDenied.AccessKeyId} / {ali.ReadDenied.AccessKeySecret}",
        };
        lines.AddRange(ali.LogStores.Select(l => $"  {l.Stream,-22} {l.Project} / {l.LogStore} ({l.ShardCount} shard(s), index {(l.IndexEnabled ? "on" : "off")})"));
        lines.Add($"Huawei Cloud   project {hw.ProjectId}, region {hw.Region}, LTS endpoint lts.{hw.Region}.myhuaweicloud.com");
        lines.Add($"  AK/SK         {hw.Key.AccessKeyId} / {hw.Key.AccessKeySecret}");
        lines.Add($"  log group     {hw.WafLogGroup.LogGroupName} {hw.WafLogGroup.LogGroupId}");
        lines.AddRange(hw.WafLogGroup.Streams.Select(s => $"  {s.Stream,-22} {s.LogStreamName} {s.LogStreamId}"));
        lines.Add($"Tencent Cloud  appid {tc.AppId}, region {tc.Region}, CLS endpoint cls.tencentcloudapi.com");
        lines.Add($"  SecretId/Key  {tc.Key.AccessKeyId} / {tc.Key.AccessKeySecret}");
        lines.AddRange(tc.Topics.Select(t => $"  {t.Stream,-22} topic {t.TopicName} {t.TopicId}"));
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }
}
