using System.Net;
using System.Text.Json.Nodes;
using Ctdr.CloudEmulator.Traffic;

namespace Ctdr.CloudEmulator.Alibaba;

/// <summary>A WAF 3.0 protection template of the sandbox.</summary>
internal sealed class WafTemplate(long id, string name, string type, string origin, string scene, int status, string description, long gmtModified)
{
    public long Id { get; } = id;
    public string Name { get; set; } = name;
    public string Type { get; } = type;
    public string Origin { get; } = origin;
    public string Scene { get; } = scene;
    public int Status { get; set; } = status;
    public string Description { get; set; } = description;
    public long GmtModified { get; set; } = gmtModified;
}

/// <summary>A WAF 3.0 template protection rule of the sandbox; <see cref="Config"/> is the rule object as the client sent it (without <c>id</c>).</summary>
internal sealed class WafRule(long id, long templateId, string scene, JsonObject config, long gmtCreate)
{
    public long Id { get; } = id;
    public long TemplateId { get; } = templateId;
    public string Scene { get; } = scene;
    public JsonObject Config { get; set; } = config;
    public long GmtCreate { get; } = gmtCreate;
    public long GmtModified { get; set; } = gmtCreate;

    public string Name => Config["name"]?.GetValue<string>() ?? string.Empty;

    public int Status => Config["status"] is JsonValue v && v.TryGetValue<int>(out var s) ? s : 1;

    public string Action => Config["action"]?.GetValue<string>() ?? string.Empty;

    public string Origin => Config["origin"]?.GetValue<string>() ?? "custom";

    public IReadOnlyList<string> RemoteAddresses =>
        Config["remoteAddr"] is JsonArray array ? [.. array.Select(a => a?.GetValue<string>() ?? string.Empty)] : [];
}

/// <summary>A WAF 3.0 instance of a sandbox account: its protected domains, templates and rules.</summary>
internal sealed class WafInstance(string id, string ownerUid, string region, string edition, IReadOnlyList<string> domains)
{
    public string Id { get; } = id;
    public string OwnerUid { get; } = ownerUid;
    public string Region { get; } = region;
    public string Edition { get; } = edition;
    public IReadOnlyList<string> Domains { get; } = domains;
    public SortedDictionary<long, WafTemplate> Templates { get; } = [];
    public SortedDictionary<long, WafRule> Rules { get; } = [];
}

/// <summary>Why a WAF OpenAPI call is refused: the provider's error code and message, and the HTTP status.</summary>
internal sealed class WafApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}

/// <summary>
/// The WAF 3.0 state of the sandbox (instances, templates, rules) and the signature nonces it has seen. Whatever
/// changes a rule re-derives the account's <see cref="BlockList"/> from the enabled blocking IP blacklist rules of
/// the enabled default templates (a default template protects every object of the instance; custom templates would
/// need protected-object bindings, which the sandbox does not model, so their rules do not block).
/// </summary>
internal sealed class WafStore(SandboxState state)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, WafInstance> instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> nonces = new(StringComparer.Ordinal);
    private readonly HashSet<string> managedRuleIds = new(StringComparer.Ordinal);
    private long nextTemplateId = 50_001;
    private long nextRuleId = 20_000_001;

    public static readonly TimeSpan NonceWindow = TimeSpan.FromMinutes(15);

    public void AddInstance(WafInstance instance)
    {
        lock (gate)
        {
            instances[instance.Id] = instance;
        }
    }

    /// <summary>Runs <paramref name="action"/> under the store's lock (the endpoint's and the console's reads and writes).</summary>
    public T Read<T>(Func<IReadOnlyCollection<WafInstance>, T> action)
    {
        lock (gate)
        {
            return action(instances.Values);
        }
    }

    /// <summary>Records a nonce of a key; false when it was seen within the window (a replay).</summary>
    public bool UseNonce(string accessKeyId, string nonce, DateTimeOffset now)
    {
        lock (gate)
        {
            foreach (var stale in nonces.Where(n => now - n.Value > NonceWindow * 2).Select(n => n.Key).ToList())
            {
                nonces.Remove(stale);
            }

            return nonces.TryAdd(accessKeyId + "\n" + nonce, now);
        }
    }

    public WafInstance? InstanceOf(string ownerUid, string region)
    {
        lock (gate)
        {
            return instances.Values.FirstOrDefault(i => i.OwnerUid == ownerUid && i.Region == region);
        }
    }

    /// <summary>The account's instance of that id, or the business error the service answers for an unknown one.</summary>
    public WafInstance Instance(string ownerUid, string region, string instanceId)
    {
        lock (gate)
        {
            return instances.TryGetValue(instanceId, out var instance) && instance.OwnerUid == ownerUid && instance.Region == region
                ? instance
                : throw new WafApiException(404, "InvalidInstanceId.NotFound", $"The specified instance {instanceId} does not exist.");
        }
    }

    public long CreateTemplate(WafInstance instance, string name, string type, string origin, string scene, int status, string description, DateTimeOffset now)
    {
        lock (gate)
        {
            if (type == "user_default" && instance.Templates.Values.Any(t => t.Scene == scene && t.Type == "user_default"))
            {
                throw new WafApiException(400, "Defense.Control.DefaultTemplateExist", $"A default template of scene {scene} already exists.");
            }

            if (instance.Templates.Values.Any(t => t.Scene == scene && t.Name == name))
            {
                throw new WafApiException(400, "Defense.Control.TemplateNameExist", $"A template named {name} already exists in scene {scene}.");
            }

            var template = new WafTemplate(nextTemplateId++, name, type, origin, scene, status, description, now.ToUnixTimeMilliseconds());
            instance.Templates[template.Id] = template;
            Resync(instance, now);
            return template.Id;
        }
    }

    public WafTemplate Template(WafInstance instance, long templateId)
    {
        lock (gate)
        {
            return instance.Templates.TryGetValue(templateId, out var template)
                ? template
                : throw new WafApiException(404, "Defense.Control.TemplateNotExist", $"The protection template {templateId} does not exist.");
        }
    }

    public WafRule Rule(WafInstance instance, long ruleId, long? templateId)
    {
        lock (gate)
        {
            return instance.Rules.TryGetValue(ruleId, out var rule) && (templateId is null || rule.TemplateId == templateId)
                ? rule
                : throw new WafApiException(404, "Defense.Control.RuleNotExist", $"The protection rule {ruleId} does not exist.");
        }
    }

    /// <summary>Creates the rules (all or none) and answers their ids.</summary>
    public IReadOnlyList<long> CreateRules(WafInstance instance, long templateId, string scene, IReadOnlyList<JsonObject> rules, DateTimeOffset now)
    {
        lock (gate)
        {
            var template = Template(instance, templateId);
            if (template.Scene != scene)
            {
                throw new WafApiException(400, "Defense.Control.SceneMismatch", $"Template {templateId} is of scene {template.Scene}, not {scene}.");
            }

            foreach (var rule in rules)
            {
                Validate(scene, rule, requireId: false);
            }

            var ids = new List<long>();
            foreach (var config in rules)
            {
                config.Remove("id");
                var rule = new WafRule(nextRuleId++, templateId, scene, config, now.ToUnixTimeMilliseconds());
                instance.Rules[rule.Id] = rule;
                managedRuleIds.Add(rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                ids.Add(rule.Id);
            }

            template.GmtModified = now.ToUnixTimeMilliseconds();
            Resync(instance, now);
            return ids;
        }
    }

    /// <summary>Replaces the configuration of existing rules (each object names its rule with <c>id</c>), all or none.</summary>
    public void ModifyRules(WafInstance instance, long? templateId, IReadOnlyList<JsonObject> rules, DateTimeOffset now)
    {
        lock (gate)
        {
            var targets = new List<(WafRule Rule, JsonObject Config)>();
            foreach (var config in rules)
            {
                var id = config["id"] is JsonValue v && v.TryGetValue<long>(out var parsed) ? parsed
                    : throw new WafApiException(400, "MissingParameter", "Each rule of Rules must carry its \"id\".");
                var rule = Rule(instance, id, templateId);
                Validate(rule.Scene, config, requireId: true);
                targets.Add((rule, config));
            }

            foreach (var (rule, config) in targets)
            {
                config.Remove("id");
                rule.Config = config;
                rule.GmtModified = now.ToUnixTimeMilliseconds();
            }

            Resync(instance, now);
        }
    }

    public void SetRuleStatus(WafInstance instance, long? templateId, long ruleId, int status, DateTimeOffset now)
    {
        lock (gate)
        {
            var rule = Rule(instance, ruleId, templateId);
            rule.Config["status"] = status;
            rule.GmtModified = now.ToUnixTimeMilliseconds();
            Resync(instance, now);
        }
    }

    /// <summary>Deletes the rules (all must exist, else none is deleted).</summary>
    public void DeleteRules(WafInstance instance, long? templateId, IReadOnlyList<long> ruleIds, DateTimeOffset now)
    {
        lock (gate)
        {
            foreach (var id in ruleIds)
            {
                _ = Rule(instance, id, templateId);
            }

            foreach (var id in ruleIds)
            {
                instance.Rules.Remove(id);
            }

            Resync(instance, now);
        }
    }

    private void Validate(string scene, JsonObject rule, bool requireId)
    {
        _ = requireId;
        if (rule["name"] is not JsonValue name || !name.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text))
        {
            throw new WafApiException(400, "MissingParameter", "The input parameter \"Rules.name\" that is mandatory for processing this request is not supplied.");
        }

        if (rule["status"] is JsonValue status && (!status.TryGetValue<int>(out var s) || s is not (0 or 1)))
        {
            throw new WafApiException(400, "InvalidParameter", "Rules.status must be 0 or 1.");
        }

        if (scene != "ip_blacklist")
        {
            return;
        }

        if (rule["action"] is not JsonValue action || !action.TryGetValue<string>(out var a) || a is not ("block" or "monitor"))
        {
            throw new WafApiException(400, "InvalidParameter", "Rules.action of an IP blacklist rule must be block or monitor.");
        }

        if (rule["remoteAddr"] is not JsonArray addresses || addresses.Count == 0)
        {
            throw new WafApiException(400, "MissingParameter", "The input parameter \"Rules.remoteAddr\" that is mandatory for processing this request is not supplied.");
        }

        var max = state.Options.WafMaxAddressesPerRule;
        if (addresses.Count > max)
        {
            throw new WafApiException(400, "Defense.Control.DefenseRuleOversize", $"An IP blacklist rule holds at most {max} addresses; this one has {addresses.Count}.");
        }

        foreach (var address in addresses)
        {
            var value = address is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
            if (value is null || !(IPAddress.TryParse(value, out _) || IPNetwork.TryParse(value, out _)))
            {
                throw new WafApiException(400, "InvalidParameter", $"Rules.remoteAddr holds '{value}', which is neither an IP address nor a CIDR block.");
            }
        }
    }

    /// <summary>Rewrites the account's block list entries that come from WAF rules; entries put through the control API stay.</summary>
    private void Resync(WafInstance instance, DateTimeOffset now)
    {
        if (!state.BlockLists.TryGetValue(instance.OwnerUid, out var blockList))
        {
            return;
        }

        var entries = new List<(string Cidr, string RuleId)>();
        foreach (var template in instance.Templates.Values.Where(t => t.Scene == "ip_blacklist" && t.Type == "user_default" && t.Status == 1))
        {
            foreach (var rule in instance.Rules.Values.Where(r => r.TemplateId == template.Id && r.Scene == "ip_blacklist" && r.Status == 1 && r.Action == "block"))
            {
                entries.AddRange(rule.RemoteAddresses.Select(a => (a, rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        blockList.ReplaceManaged(managedRuleIds.Contains, entries, now);
    }
}
