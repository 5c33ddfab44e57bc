using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Detection;

/// <summary>Parsing of stored rule texts, where a text that no longer parses is a rule that cannot run (not an exception).</summary>
public static class RuleTexts
{
    public static RuleDefinition? TryParse(string text)
    {
        var (rule, errors) = RuleText.ParseSingle(text);
        return errors.Count == 0 ? rule : null;
    }

    public static RuleCondition? TryParseCondition(string text)
    {
        var (condition, errors) = RuleText.ParseCondition(text);
        return errors.Count == 0 ? condition : null;
    }
}
