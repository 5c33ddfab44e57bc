namespace Ctdr.Application.Common;

/// <summary>A page of rows and the total number of rows that match, for server-side paged grids.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>Which page to read (zero-based) and how many rows a page holds.</summary>
public readonly record struct PageRequest(int PageIndex, int PageSize)
{
    public const int MaxPageSize = 200;

    public int Skip => Math.Max(0, PageIndex) * Take;

    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}
