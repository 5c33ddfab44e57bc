using Bunit;
using Ctdr.Web.Components.Pages.Rules;
using Ctdr.Web.Tests.Infrastructure;

namespace Ctdr.Web.Tests.Components.Rules;

/// <summary>Sigma files chosen on the import page: each rule imported as a draft or refused with its reason.</summary>
public sealed class ImportRulesPageTests : CtdrComponentContext
{
    private const string GoodRule = """
        title: Probe for the admin console
        id: 5c0b7bb4-1f51-4f0c-8f6e-3d2b1b8b7e01
        author: Jane Analyst
        level: medium
        logsource:
          category: webserver
        detection:
          selection:
            cs-uri-stem|startswith: '/admin'
          condition: selection
        """;

    private const string WindowsRule = """
        title: Suspicious process
        logsource:
          product: windows
          category: process_creation
        detection:
          selection:
            Image|endswith: '\cmd.exe'
          condition: selection
        """;

    [Fact]
    public void ChosenFiles_AreImportedOrRefusedWithTheirReason()
    {
        var page = Render<ImportRulesPage>();

        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromText(GoodRule, "admin-probe.yml"),
            InputFileContent.CreateFromText(WindowsRule, "windows.yml"));

        page.WaitForElement("[data-testid=import-summary]", HangGuard.Timeout);
        Assert.Equal("1 imported, 1 refused, 0 already present.", page.Find("[data-testid=import-summary]").TextContent);
        Assert.Equal(["Imported", "Refused"], page.FindAll("[data-testid=import-status]").Select(s => s.TextContent));
        var reasons = page.FindAll("[data-testid=import-reason]").Select(s => s.TextContent).ToList();
        Assert.Equal(string.Empty, reasons[0]);
        Assert.Contains("'windows'", reasons[1], StringComparison.Ordinal);
    }
}
