using System.Collections;
using System.Runtime.CompilerServices;

namespace Ctdr.Application.Detection;

/// <summary>
/// An immutable list with value equality, so that rule models (records) compare by content: a rule parsed from
/// its printed text equals the rule it was printed from.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] items;

    public ValueList(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.items = [.. items];
    }

#pragma warning disable CA1000 // the empty list belongs to its element type, like Array.Empty<T>
    public static ValueList<T> Empty { get; } = new([]);
#pragma warning restore CA1000

    public int Count => items.Length;

    public T this[int index] => items[index];

    public static implicit operator ValueList<T>(T[] items) => new(items);

    public static implicit operator ValueList<T>(List<T> items) => new(items);

    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) => Equals(left, right);

    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !Equals(left, right);

    public bool Equals(ValueList<T>? other) =>
        other is not null && items.AsSpan().SequenceEqual(other.items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", items) + "]";

    public ValueList<T> ToValueList() => this;
}

public static class ValueList
{
    public static ValueList<T> Of<T>(params T[] items) => new(items);

    /// <summary>Builds a list from a collection expression (<c>[a, b]</c>).</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => new(items);
}
