using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ctdr.Infrastructure.Persistence;

/// <summary>The embedded default: a SQLite file in the data folder.</summary>
public sealed class SqliteCtdrDbContext(DbContextOptions<SqliteCtdrDbContext> options) : CtdrDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no date-time-with-offset type and cannot compare or order EF's text form. All our
        // timestamps are UTC, so they are stored as UTC ticks: ordered, comparable, exact.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
