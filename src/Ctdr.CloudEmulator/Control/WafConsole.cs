using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Ctdr.CloudEmulator.Alibaba;

namespace Ctdr.CloudEmulator.Control;

/// <summary>
/// The sandbox's read-only WAF console, <c>GET /_sandbox/waf</c>: each Alibaba Cloud WAF 3.0 instance with its
/// protection templates and their rules, each Huawei Cloud WAF policy with its black/white IP rules, each Tencent Cloud
/// WAF domain with its IP access control entries, as an HTML page. Like the control API it answers loopback callers only by default.
/// Every value is HTML-encoded: rule names and addresses come from API callers.
/// </summary>
internal static class WafConsole
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Hosting.ProviderRouter.ControlPrefix + "/waf", (SandboxState state) =>
            Results.Content(Render(state), "text/html; charset=utf-8"));

    internal static string Render(SandboxState state)
    {
        var html = new StringBuilder(4096);
        var e = HtmlEncoder.Default;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sandbox WAF console</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}")
            .Append("th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}</style></head><body>")
            .Append("<h1>Sandbox WAF console</h1>");
        state.Waf.Read(instances =>
        {
            foreach (var instance in instances.OrderBy(i => i.Id, StringComparer.Ordinal))
            {
                html.Append("<section class=\"instance\"><h2>Alibaba Cloud WAF 3.0 instance ").Append(e.Encode(instance.Id)).Append("</h2>")
                    .Append("<p>Account ").Append(e.Encode(instance.OwnerUid)).Append(", region ").Append(e.Encode(instance.Region))
                    .Append(", edition ").Append(e.Encode(instance.Edition)).Append(". Protected domains: ")
                    .Append(e.Encode(string.Join(", ", instance.Domains))).Append(".</p>");

                html.Append("<h3>Protection templates</h3>");
                if (instance.Templates.Count == 0)
                {
                    html.Append("<p>No templates.</p>");
                }
                else
                {
                    html.Append("<table class=\"templates\"><thead><tr><th>Template id</th><th>Name</th><th>Scene</th><th>Type</th><th>Status</th></tr></thead><tbody>");
                    foreach (var template in instance.Templates.Values)
                    {
                        html.Append("<tr><td>").Append(Num(template.Id)).Append("</td><td>").Append(e.Encode(template.Name))
                            .Append("</td><td>").Append(e.Encode(template.Scene)).Append("</td><td>").Append(e.Encode(template.Type))
                            .Append("</td><td>").Append(template.Status == 1 ? "on" : "off").Append("</td></tr>");
                    }

                    html.Append("</tbody></table>");
                }

                html.Append("<h3>Custom rules</h3>");
                if (instance.Rules.Count == 0)
                {
                    html.Append("<p>No rules.</p>");
                }
                else
                {
                    html.Append("<table class=\"rules\"><thead><tr><th>Rule id</th><th>Name</th><th>Template</th><th>Scene</th><th>Action</th><th>Status</th><th>Addresses</th></tr></thead><tbody>");
                    foreach (var rule in instance.Rules.Values)
                    {
                        html.Append("<tr data-rule-id=\"").Append(Num(rule.Id)).Append("\"><td>").Append(Num(rule.Id)).Append("</td><td>").Append(e.Encode(rule.Name))
                            .Append("</td><td>").Append(Num(rule.TemplateId)).Append("</td><td>").Append(e.Encode(rule.Scene))
                            .Append("</td><td>").Append(e.Encode(rule.Action)).Append("</td><td>").Append(rule.Status == 1 ? "on" : "off")
                            .Append("</td><td>").Append(e.Encode(string.Join(", ", rule.RemoteAddresses))).Append("</td></tr>");
                    }

                    html.Append("</tbody></table>");
                }

                html.Append("</section>");
            }

            return 0;
        });
        RenderHuawei(state, html, e);
        RenderTencent(state, html, e);
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void RenderHuawei(SandboxState state, StringBuilder html, HtmlEncoder e)
    {
        foreach (var store in state.HuaweiWafs.Values.OrderBy(s => s.ProjectId, StringComparer.Ordinal))
        {
            foreach (var policy in store.Policies())
            {
                html.Append("<section class=\"instance\"><h2>Huawei Cloud WAF policy ").Append(e.Encode(policy.Id)).Append("</h2>")
                    .Append("<p>Project ").Append(e.Encode(store.ProjectId)).Append(", policy ").Append(e.Encode(policy.Name)).Append(". Protected domains: ")
                    .Append(e.Encode(string.Join(", ", policy.Hosts.Select(h => h.Name)))).Append(".</p>");
                var rules = store.Rules(policy.Id);
                if (rules.Count == 0)
                {
                    html.Append("<p>No black/white IP rules.</p></section>");
                    continue;
                }

                html.Append("<table class=\"rules\"><thead><tr><th>Rule id</th><th>Name</th><th>Address</th><th>Action</th><th>Ends</th><th>Description</th></tr></thead><tbody>");
                foreach (var rule in rules)
                {
                    html.Append("<tr data-rule-id=\"").Append(e.Encode(rule.Id)).Append("\"><td>").Append(e.Encode(rule.Id)).Append("</td><td>").Append(e.Encode(rule.Name))
                        .Append("</td><td>").Append(e.Encode(rule.Addr)).Append("</td><td>").Append(rule.White switch { 0 => "block", 1 => "allow", _ => "log only" })
                        .Append("</td><td>").Append(rule.Terminal is { } end ? Num(end) : "never").Append("</td><td>").Append(e.Encode(rule.Description ?? string.Empty)).Append("</td></tr>");
                }

                html.Append("</tbody></table></section>");
            }
        }
    }

    private static void RenderTencent(SandboxState state, StringBuilder html, HtmlEncoder e)
    {
        foreach (var store in state.TencentWafs.Values.OrderBy(s => s.AppId, StringComparer.Ordinal))
        {
            html.Append("<section class=\"instance\"><h2>Tencent Cloud WAF instance ").Append(e.Encode(store.Instance.InstanceId)).Append("</h2>")
                .Append("<p>AppId ").Append(e.Encode(store.AppId)).Append(", edition ").Append(e.Encode(store.Instance.Edition)).Append(".</p>");
            foreach (var domain in store.Instance.Domains)
            {
                var entries = store.Describe(domain.Name);
                html.Append("<h3>").Append(e.Encode(domain.Name)).Append("</h3>");
                if (entries.Count == 0)
                {
                    html.Append("<p>No IP access control entries.</p>");
                    continue;
                }

                html.Append("<table class=\"rules\"><thead><tr><th>Rule id</th><th>IP</th><th>Action</th><th>Ends</th><th>Note</th></tr></thead><tbody>");
                foreach (var entry in entries)
                {
                    html.Append("<tr data-rule-id=\"").Append(Num((long)entry.RuleId)).Append("\"><td>").Append(Num((long)entry.RuleId)).Append("</td><td>").Append(e.Encode(entry.Ip))
                        .Append("</td><td>").Append(entry.ActionType == 42 ? "block" : "allow").Append("</td><td>").Append(Num(entry.ValidTs))
                        .Append("</td><td>").Append(e.Encode(entry.Note)).Append("</td></tr>");
                }

                html.Append("</tbody></table>");
            }

            html.Append("</section>");
        }
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
