using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Activation;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Accounts;

public class CloudAccountTests
{
    private const string Secret = "SecretValue-Do-Not-Leak-8f3a1c";

    private static AccountForm Form(string uid = "5000000000000001") =>
        new(CloudProvider.AlibabaCloud, uid, "Shop production", "cn-hangzhou, cn-shanghai", "LTAI5tShopKey0001", Secret, null);

    private static async Task<TestHost> StartAsAdminAsync(string? dataDirectory = null)
    {
        var host = await TestHost.StartAsync(dataDirectory: dataDirectory);
        host.CurrentUser.User = TestCurrentUser.Admin();
        return host;
    }

    private static CloudAccountAdministration Accounts(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<CloudAccountAdministration>();

    private static ActivationService Activation(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<ActivationService>();

    [Fact]
    public async Task Onboard_StoresTheSecretEncrypted_AndNoPlaintextAnywhereInTheDatabase()
    {
        string dataDirectory;
        long id;
        await using (var host = await StartAsAdminAsync())
        {
            (var result, var created) = await Accounts(host).OnboardAsync(Form());
            Assert.True(result.Succeeded);
            id = created!.Value;
            dataDirectory = host.DataDirectory;
            host.KeepDataOnDispose = true;
        }

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "ctdr.db"));
        var wal = Path.Combine(dataDirectory, "ctdr.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : [];
        var needle = System.Text.Encoding.UTF8.GetBytes(Secret);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(needle));
        Assert.Equal(-1, walBytes.AsSpan().IndexOf(needle));

        // After a restart (a new process on the same database and key ring) the secret still decrypts.
        await using var restarted = await StartAsAdminAsync(dataDirectory);
        await using var db = await restarted.DbAsync();
        var account = await db.CloudAccounts.SingleAsync(a => a.Id == id);
        Assert.NotEqual(Secret, account.ProtectedSecret);
        Assert.DoesNotContain(Secret, account.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(Secret, restarted.Get<ISecretProtector>().Unprotect(account.ProtectedSecret));
    }

    [Fact]
    public async Task List_MasksTheKeyId_AndNeverCarriesTheSecret()
    {
        await using var host = await StartAsAdminAsync();
        await Accounts(host).OnboardAsync(Form());

        var row = Assert.Single(await Accounts(host).ListAsync());
        var details = await Accounts(host).GetAsync(row.Id);

        Assert.Equal(("LTAI****0001", "Shop production", 0), (row.MaskedAccessKeyId, row.DisplayName, row.LogSourceCount));
        Assert.Equal(["cn-hangzhou", "cn-shanghai"], row.Regions);
        Assert.DoesNotContain(Secret, row.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, details!.ToString(), StringComparison.Ordinal);
        Assert.Equal("LTAI5tShopKey0001", details.AccessKeyId);
    }

    [Fact]
    public async Task Onboard_IsInvalid_WhenTheAccountIsAlreadyOnboarded_OrTheFormIsBad()
    {
        await using var host = await StartAsAdminAsync();
        await Accounts(host).OnboardAsync(Form());

        var (again, _) = await Accounts(host).OnboardAsync(Form());
        var (bad, _) = await Accounts(host).OnboardAsync(Form() with { Regions = "", AccessKeySecret = "" });

        Assert.Equal(["This Alibaba Cloud account is already onboarded."], again.Errors["AccountUid"]);
        Assert.Equal(["AccessKeySecret", "Regions"], bad.Errors.Keys.Order());
        Assert.Single(await Accounts(host).ListAsync());
    }

    [Fact]
    public async Task Update_KeepsTheSecret_WhenNoneIsGiven_AndReplacesIt_WhenGiven()
    {
        await using var host = await StartAsAdminAsync();
        var (_, id) = await Accounts(host).OnboardAsync(Form());
        async Task<string> StoredSecretAsync()
        {
            await using var db = await host.DbAsync();
            return host.Get<ISecretProtector>().Unprotect((await db.CloudAccounts.SingleAsync(a => a.Id == id)).ProtectedSecret);
        }

        Assert.True((await Accounts(host).UpdateAsync(id!.Value, Form() with { DisplayName = "Renamed", AccessKeySecret = null })).Succeeded);
        Assert.Equal(Secret, await StoredSecretAsync());
        Assert.True((await Accounts(host).UpdateAsync(id.Value, Form() with { AccessKeySecret = "Another-Secret-2" })).Succeeded);
        Assert.Equal("Another-Secret-2", await StoredSecretAsync());

        await using var audit = await host.DbAsync();
        Assert.Equal(["Secret unchanged", "Secret replaced"], await audit.AuditEntries.Where(e => e.Action == AuditAction.CloudAccountUpdated).OrderBy(e => e.Id).Select(e => e.Details!).ToListAsync());
    }

    [Fact]
    public async Task Delete_RemovesTheAccountAndItsSources_WithTheStatementToConfirm()
    {
        await using var host = await StartAsAdminAsync();
        await using var sandbox = await TestSandbox.StartAsync(host.Clock);
        await Activation(host).ActivateAsync(logAccessPolicy: true);
        var (_, id) = await Accounts(host).OnboardAsync(sandbox.AlibabaForm());
        var count = (await Accounts(host).ListAsync()).Single().LogSourceCount;

        var result = await Accounts(host).DeleteAsync(id!.Value);

        Assert.True(result.Succeeded);
        Assert.Equal(3, count);
        Assert.Equal(
            "Deleting the account also deletes its 3 log sources and stops their pulls. Logs already collected stay searchable until the log retention period ends. The stored access key is erased.",
            CloudAccountAdministration.DeletionStatement(count));
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.CloudAccounts.CountAsync());
        Assert.Equal(0, await db.LogSources.CountAsync());
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Viewer)]
    public async Task Accounts_AreRefused_ToNonAdministrators(string role)
    {
        await using var host = await StartAsAdminAsync();
        host.CurrentUser.User = new CurrentUserInfo("u", "u@example.com", [role], null);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Accounts(host).ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => Accounts(host).OnboardAsync(Form()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Activation(host).ActivateAsync(true));
    }

    [Fact]
    public async Task Activate_WithoutPolicy_AddsNoSources_AndLaterOnboardingAddsNone()
    {
        await using var host = await StartAsAdminAsync();
        await Accounts(host).OnboardAsync(Form());

        var added = await Activation(host).ActivateAsync(logAccessPolicy: false);
        await Accounts(host).OnboardAsync(Form("5000000000000002"));

        var state = await Activation(host).GetAsync();
        Assert.Equal(0, added);
        Assert.Equal((true, false, "admin@example.com"), (state.IsActivated, state.LogAccessPolicy, state.ActivatedBy));
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.LogSources.CountAsync());
    }

    [Fact]
    public async Task Activate_WithPolicy_AddsCoreSourcesOfExistingAndLaterAccounts_AndChecksEach()
    {
        await using var host = await StartAsAdminAsync();
        await using var sandbox = await TestSandbox.StartAsync(host.Clock);
        await sandbox.GenerateAsync("alibaba-waf", 20);
        await Accounts(host).OnboardAsync(sandbox.AlibabaForm());

        var added = await Activation(host).ActivateAsync(logAccessPolicy: true);
        // An account the sandbox does not know: its projects do not exist there.
        await Accounts(host).OnboardAsync(sandbox.AlibabaForm("Other") with { AccountUid = "5000000000000002" });

        Assert.Equal(3, added);
        await using var db = await host.DbAsync();
        var sources = await db.LogSources.OrderBy(s => s.Id).ToListAsync();
        Assert.All(sources, s => Assert.True(s.AddedByPolicy));
        Assert.Equal(
            [
                ("wafnew-project-5000000000000001-cn-hangzhou", LogSourceStatus.Active),
                ("cloudfirewall-project-5000000000000001-cn-hangzhou", LogSourceStatus.Active),
                ("actiontrail-5000000000000001-cn-hangzhou", LogSourceStatus.Draft),
                ("wafnew-project-5000000000000002-cn-hangzhou", LogSourceStatus.Draft),
                ("cloudfirewall-project-5000000000000002-cn-hangzhou", LogSourceStatus.Draft),
                ("actiontrail-5000000000000002-cn-hangzhou", LogSourceStatus.Draft),
            ],
            sources.Select(s => (s.Project!, s.Status)));
        var failed = sources[2].ValiditySteps().Single(step => step.Status == ValidityStepStatus.Failed);
        Assert.Equal(("Project", "ProjectNotExist"), (failed.Name, failed.ErrorCode));
    }

    [Fact]
    public async Task SetPricing_ValidatesAndStoresTiers()
    {
        await using var host = await StartAsAdminAsync();

        var bad = await Activation(host).SetPricingAsync("dollars", ServiceActivation.DefaultTiers);
        var ok = await Activation(host).SetPricingAsync("cny", [new PriceTier(50m, 2m), new PriceTier(null, 1.5m)]);

        Assert.Equal(["The currency is a three-letter code such as USD or CNY."], bad.Errors["Currency"]);
        Assert.True(ok.Succeeded);
        var state = await Activation(host).GetAsync();
        Assert.Equal(("CNY", 2), (state.Currency, state.PriceTiers.Count));
        Assert.Equal(new PriceTier(null, 1.5m), state.PriceTiers[1]);
    }

    [Fact]
    public async Task KeyRing_IsEncryptedWithTheConfiguredCertificate_AndSecretsStillDecryptAfterARestart()
    {
        var certificatePath = Path.Combine(Path.GetTempPath(), $"ctdr-keyring-{Guid.NewGuid():N}.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Ctdr key ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificatePath, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password"));
        }

        var settings = new Dictionary<string, string?>
        {
            ["Ctdr:DataProtection:CertificatePath"] = certificatePath,
            ["Ctdr:DataProtection:CertificatePassword"] = "pfx-password",
        };
        try
        {
            string dataDirectory;
            await using (var host = await TestHost.StartAsync(settings))
            {
                host.CurrentUser.User = TestCurrentUser.Admin();
                Assert.True((await Accounts(host).OnboardAsync(Form())).Result.Succeeded);
                await using var db = await host.DbAsync();
                var key = await db.DataProtectionKeys.SingleAsync();
                Assert.Contains("<encryptedSecret", key.Xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", key.Xml, StringComparison.Ordinal);
                dataDirectory = host.DataDirectory;
                host.KeepDataOnDispose = true;
            }

            await using var restarted = await TestHost.StartAsync(settings, dataDirectory: dataDirectory);
            await using var again = await restarted.DbAsync();
            Assert.Equal(Secret, restarted.Get<ISecretProtector>().Unprotect((await again.CloudAccounts.SingleAsync()).ProtectedSecret));
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }
}
