using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>
/// The SQLite firehose: one transaction per batch; the checkpoint compare-and-swap first (so a second pull of
/// the same source waits for the write lock and then finds the checkpoint moved), then one prepared
/// <c>INSERT OR IGNORE</c> executed per record, the quarantine, and the day's meter.
/// </summary>
internal sealed class SqliteLogStore(IDbContextFactory<CtdrDbContext> contexts) : LogStoreBase(contexts)
{
    private static readonly string InsertLogSql =
        $"INSERT OR IGNORE INTO SecurityLogs ({string.Join(", ", LogColumns.Mapped.Select(c => c.Name))}, Time, ReceivedAt, Raw) " +
        $"VALUES ({string.Join(", ", LogColumns.Mapped.Select((_, i) => "$p" + i))}, $time, $received, $raw)";

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

    private static async Task<int> InsertLogsAsync(SqliteConnection connection, SqliteTransaction transaction, LogBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Logs.Count == 0)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertLogSql;
        var parameters = new SqliteParameter[LogColumns.Mapped.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            // No declared type: each value binds as what it is (integer or text).
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$p" + i;
            command.Parameters.Add(parameters[i]);
        }

        var time = command.Parameters.Add("$time", SqliteType.Integer);
        var received = command.Parameters.Add("$received", SqliteType.Integer);
        var raw = command.Parameters.Add("$raw", SqliteType.Text);
        received.Value = batch.ReceivedAt.UtcTicks;
        await command.PrepareAsync(cancellationToken);

        var stored = 0;
        foreach (var log in batch.Logs)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var (_, cap, value) = LogColumns.Mapped[i];
                parameters[i].Value = LogColumns.Prepare(value(log), cap);
            }

            time.Value = log.Time.UtcTicks;
            raw.Value = RawText(log.Raw, int.MaxValue);
            stored += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return stored;
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
