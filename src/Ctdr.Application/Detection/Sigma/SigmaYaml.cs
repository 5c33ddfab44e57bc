using YamlDotNet.RepresentationModel;

namespace Ctdr.Application.Detection.Sigma;

/// <summary>A Sigma rule that cannot be translated completely; the message is the refusal reason shown to the user.</summary>
internal sealed class SigmaRefusedException(string reason) : Exception(reason);

/// <summary>Reading Sigma's YAML through the representation model, which keeps each scalar's text and style.</summary>
internal static class SigmaYaml
{
    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>The text of a map key; Sigma keys are always scalars.</summary>
    public static string KeyText(this YamlNode key) =>
        (key as YamlScalarNode)?.Value ?? throw new SigmaRefusedException("a map key must be a text");

    /// <summary>A plain <c>null</c>, <c>~</c> or empty scalar is YAML's null; quoted it is text.</summary>
    public static bool IsNull(this YamlNode? node) =>
        node is null
        || (node is YamlScalarNode scalar
            && scalar.Style is not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
            && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    /// <summary>The text of a scalar (numbers and booleans as written), null when absent or null.</summary>
    public static string? Text(this YamlMappingNode map, string key)
    {
        var node = map.Get(key);
        if (node.IsNull())
        {
            return null;
        }

        return node is YamlScalarNode scalar
            ? scalar.Value
            : throw new SigmaRefusedException($"'{key}' must be a text value");
    }

    /// <summary>A scalar or a list of scalars as a list of texts; empty when absent.</summary>
    public static List<string> Texts(this YamlMappingNode map, string key)
    {
        var node = map.Get(key);
        if (node.IsNull())
        {
            return [];
        }

        if (node is YamlScalarNode scalar)
        {
            return [scalar.Value ?? string.Empty];
        }

        if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode))
        {
            return [.. sequence.Children.Where(c => !c.IsNull()).Select(c => ((YamlScalarNode)c).Value ?? string.Empty)];
        }

        throw new SigmaRefusedException($"'{key}' must be a text or a list of texts");
    }

    public static YamlMappingNode? Map(this YamlMappingNode map, string key)
    {
        var node = map.Get(key);
        if (node.IsNull())
        {
            return null;
        }

        return node as YamlMappingNode ?? throw new SigmaRefusedException($"'{key}' must be a map");
    }

    /// <summary>True for a plain (unquoted) YAML boolean with the given value.</summary>
    public static bool IsBoolean(this YamlNode? node, out bool value)
    {
        value = false;
        if (node is not YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } scalar)
        {
            return false;
        }

        return bool.TryParse(scalar.Value, out value);
    }
}
