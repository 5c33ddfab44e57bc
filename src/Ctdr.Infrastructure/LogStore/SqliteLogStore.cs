using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>
/// The SQLite firehose: one transaction per batch; the checkpoint compare-and-swap first (so a second pull of
/// the same source waits for the write lock and then finds the checkpoint moved), then one prepared
/// <c>INSERT OR IGNORE</c> executed per record, the quarantine, and the day's meter. Records are bound by position
/// straight onto the prepared statement (SQLite's own API, on the connection of the transaction): binding 45
/// named ADO.NET parameters per row cost more than the insert itself, and the raw record goes in as the UTF-8
/// bytes it arrived as.
/// </summary>
internal sealed class SqliteLogStore(IDbContextFactory<CtdrDbContext> contexts) : LogStoreBase(contexts)
{
    private static readonly int ColumnCount = LogColumns.Mapped.Count + 3;

    private static readonly string InsertLogSql =
        $"INSERT OR IGNORE INTO SecurityLogs ({string.Join(", ", LogColumns.Mapped.Select(c => c.Name))}, Time, ReceivedAt, Raw) " +
        $"VALUES ({string.Join(", ", Enumerable.Range(1, ColumnCount).Select(i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";

    public override async Task<AppendResult> AppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        // Microsoft.Data.Sqlite begins IMMEDIATE transactions: the write lock is taken here, so concurrent appends queue up.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        if (batch.ExpectedCheckpointVersion is { } expected && !await AdvanceCheckpointAsync(connection, transaction, batch, expected, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return AppendResult.Conflict;
        }

        var stored = await InsertLogsAsync(connection, transaction, batch, cancellationToken);
        await InsertQuarantineAsync(connection, transaction, batch, cancellationToken);
        await MeterAsync(connection, transaction, batch, stored, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AppendResult(true, stored, batch.Logs.Count - stored, batch.Quarantined.Count);
    }

    private static async Task<bool> AdvanceCheckpointAsync(SqliteConnection connection, SqliteTransaction transaction, LogBatch batch, long expected, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE LogSources SET Checkpoint = $checkpoint, CheckpointVersion = CheckpointVersion + 1 WHERE Id = $id AND CheckpointVersion = $expected";
        command.Parameters.AddWithValue("$checkpoint", (object?)batch.NextCheckpoint ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", batch.SourceId);
        command.Parameters.AddWithValue("$expected", expected);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static Task<int> InsertLogsAsync(SqliteConnection connection, SqliteTransaction transaction, LogBatch batch, CancellationToken cancellationToken)
    {
        _ = transaction; // The statement runs on the connection, inside the transaction begun on it.
        if (batch.Logs.Count == 0)
        {
            return Task.FromResult(0);
        }

        var db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, InsertLogSql, out var statement), db);
        using (statement)
        {
            var stored = 0;
            var mapped = LogColumns.Mapped;
            var received = batch.ReceivedAt.UtcTicks;
            foreach (var log in batch.Logs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < mapped.Count; i++)
                {
                    var (_, cap, value) = mapped[i];
                    Bind(statement, i + 1, value(log), cap, db);
                }

                Check(raw.sqlite3_bind_int64(statement, mapped.Count + 1, log.Time.UtcTicks), db);
                Check(raw.sqlite3_bind_int64(statement, mapped.Count + 2, received), db);
                Check(log.Raw.IsEmpty ? raw.sqlite3_bind_text(statement, mapped.Count + 3, string.Empty) : raw.sqlite3_bind_text(statement, mapped.Count + 3, log.Raw.Span), db);
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(step, db);
                }

                stored += raw.sqlite3_changes(db);
                Check(raw.sqlite3_reset(statement), db);
            }

            return Task.FromResult(stored);
        }
    }

    private static void Bind(sqlite3_stmt statement, int index, object? value, int cap, sqlite3 db)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            string text => raw.sqlite3_bind_text(statement, index, cap > 0 && text.Length > cap ? text[..cap] : text),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            _ => throw new InvalidOperationException($"No SQLite binding for {value.GetType().Name}."),
        };
        Check(rc, db);
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static async Task InsertQuarantineAsync(SqliteConnection connection, SqliteTransaction transaction, LogBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Quarantined.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO QuarantinedRecords (SourceId, ReceivedAt, Reason, Raw, PositionUid) VALUES ($source, $received, $reason, $raw, $position)";
        command.Parameters.AddWithValue("$source", batch.SourceId);
        command.Parameters.AddWithValue("$received", batch.ReceivedAt.UtcTicks);
        var reason = command.Parameters.Add("$reason", SqliteType.Text);
        var raw = command.Parameters.Add("$raw", SqliteType.Text);
        var position = command.Parameters.Add("$position", SqliteType.Text);
        foreach (var item in batch.Quarantined)
        {
            reason.Value = Cap(item.Reason, QuarantinedRecord.MaxReasonLength);
            raw.Value = RawText(item.Raw, QuarantinedRecord.MaxRawLength);
            position.Value = (object?)Cap(item.PositionUid, 200) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MeterAsync(SqliteConnection connection, SqliteTransaction transaction, LogBatch batch, int stored, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO IngestionMeters (SourceId, Day, Received, Stored, Duplicates, Quarantined, Bytes) " +
            "VALUES ($source, $day, $received, $stored, $duplicates, $quarantined, $bytes) " +
            "ON CONFLICT (SourceId, Day) DO UPDATE SET Received = Received + excluded.Received, Stored = Stored + excluded.Stored, " +
            "Duplicates = Duplicates + excluded.Duplicates, Quarantined = Quarantined + excluded.Quarantined, Bytes = Bytes + excluded.Bytes";
        command.Parameters.AddWithValue("$source", batch.SourceId);
        command.Parameters.AddWithValue("$day", DayOf(batch.ReceivedAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$received", batch.Received);
        command.Parameters.AddWithValue("$stored", stored);
        command.Parameters.AddWithValue("$duplicates", batch.Logs.Count - stored);
        command.Parameters.AddWithValue("$quarantined", batch.Quarantined.Count);
        command.Parameters.AddWithValue("$bytes", batch.Bytes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Cap(string? text, int cap) => text is null || text.Length <= cap ? text : text[..cap];
}
