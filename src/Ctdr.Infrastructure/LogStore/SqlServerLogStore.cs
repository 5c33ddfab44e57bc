using System.Data;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>
/// The SQL Server firehose: in one transaction, the checkpoint compare-and-swap, a <see cref="SqlBulkCopy"/> of
/// the batch into a session temp table, one set-based insert of the records the table does not hold yet, the
/// quarantine and the day's meter (MERGE).
/// </summary>
internal sealed class SqlServerLogStore(IDbContextFactory<CtdrDbContext> contexts) : LogStoreBase(contexts)
{
    private static readonly string[] Columns = [.. LogColumns.Mapped.Select(c => c.Name), "Time", "ReceivedAt", "Raw"];

    private static readonly string ColumnList = string.Join(", ", Columns.Select(c => $"[{c}]"));

    public override async Task<AppendResult> AppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqlConnection)db.Database.GetDbConnection();
            await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            if (batch.ExpectedCheckpointVersion is { } expected && !await AdvanceCheckpointAsync(connection, transaction, batch, expected, ct))
            {
                await transaction.RollbackAsync(ct);
                return AppendResult.Conflict;
            }

            var stored = await InsertLogsAsync(connection, transaction, batch, ct);
            await InsertQuarantineAsync(connection, transaction, batch, ct);
            await MeterAsync(connection, transaction, batch, stored, ct);
            await transaction.CommitAsync(ct);
            return new AppendResult(true, stored, batch.Logs.Count - stored, batch.Quarantined.Count);
        }, cancellationToken);
    }

    private static async Task<bool> AdvanceCheckpointAsync(SqlConnection connection, SqlTransaction transaction, LogBatch batch, long expected, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(
            "UPDATE [LogSources] SET [Checkpoint] = @checkpoint, [CheckpointVersion] = [CheckpointVersion] + 1 WHERE [Id] = @id AND [CheckpointVersion] = @expected",
            connection,
            transaction);
        command.Parameters.Add("@checkpoint", SqlDbType.NVarChar, -1).Value = (object?)batch.NextCheckpoint ?? DBNull.Value;
        command.Parameters.Add("@id", SqlDbType.BigInt).Value = batch.SourceId;
        command.Parameters.Add("@expected", SqlDbType.BigInt).Value = expected;
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<int> InsertLogsAsync(SqlConnection connection, SqlTransaction transaction, LogBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Logs.Count == 0)
        {
            return 0;
        }

        await using (var create = new SqlCommand($"SELECT TOP 0 {ColumnList} INTO #batch FROM [SecurityLogs]", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var table = ToTable(batch))
        using (var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.Default, transaction) { DestinationTableName = "#batch", BatchSize = 5000 })
        {
            foreach (var column in Columns)
            {
                copy.ColumnMappings.Add(column, column);
            }

            await copy.WriteToServerAsync(table, cancellationToken);
        }

        // Duplicates inside the batch and records stored before are skipped; the unique index is the backstop.
        var insert = $"""
            INSERT INTO [SecurityLogs] ({ColumnList})
            SELECT {ColumnList} FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY [SourceId], [Uid] ORDER BY (SELECT 0)) AS [Occurrence] FROM #batch) AS b
            WHERE b.[Occurrence] = 1
              AND NOT EXISTS (SELECT 1 FROM [SecurityLogs] AS s WITH (UPDLOCK, HOLDLOCK) WHERE s.[SourceId] = b.[SourceId] AND s.[Uid] = b.[Uid]);
            DROP TABLE #batch;
            """;
        await using var command = new SqlCommand(insert, connection, transaction) { CommandTimeout = 120 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DataTable ToTable(LogBatch batch)
    {
        var table = new DataTable();
        foreach (var (name, _, value) in LogColumns.Mapped)
        {
            var sample = batch.Logs.Select(value).FirstOrDefault(v => v is not null);
            table.Columns.Add(name, sample?.GetType() ?? typeof(string));
        }

        table.Columns.Add("Time", typeof(DateTimeOffset));
        table.Columns.Add("ReceivedAt", typeof(DateTimeOffset));
        table.Columns.Add("Raw", typeof(string));
        foreach (var log in batch.Logs)
        {
            var row = table.NewRow();
            for (var i = 0; i < LogColumns.Mapped.Count; i++)
            {
                var (_, cap, value) = LogColumns.Mapped[i];
                row[i] = LogColumns.Prepare(value(log), cap);
            }

            row["Time"] = log.Time.ToUniversalTime();
            row["ReceivedAt"] = batch.ReceivedAt.ToUniversalTime();
            row["Raw"] = RawText(log.Raw, int.MaxValue);
            table.Rows.Add(row);
        }

        return table;
    }

    private static async Task InsertQuarantineAsync(SqlConnection connection, SqlTransaction transaction, LogBatch batch, CancellationToken cancellationToken)
    {
        foreach (var item in batch.Quarantined)
        {
            await using var command = new SqlCommand(
                "INSERT INTO [QuarantinedRecords] ([SourceId], [ReceivedAt], [Reason], [Raw], [PositionUid]) VALUES (@source, @received, @reason, @raw, @position)",
                connection,
                transaction);
            command.Parameters.Add("@source", SqlDbType.BigInt).Value = batch.SourceId;
            command.Parameters.Add("@received", SqlDbType.DateTimeOffset).Value = batch.ReceivedAt.ToUniversalTime();
            command.Parameters.Add("@reason", SqlDbType.NVarChar, QuarantinedRecord.MaxReasonLength).Value = item.Reason.Length > QuarantinedRecord.MaxReasonLength ? item.Reason[..QuarantinedRecord.MaxReasonLength] : item.Reason;
            command.Parameters.Add("@raw", SqlDbType.NVarChar, -1).Value = RawText(item.Raw, QuarantinedRecord.MaxRawLength);
            command.Parameters.Add("@position", SqlDbType.NVarChar, 200).Value = (object?)item.PositionUid ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MeterAsync(SqlConnection connection, SqlTransaction transaction, LogBatch batch, int stored, CancellationToken cancellationToken)
    {
        const string merge = """
            MERGE [IngestionMeters] WITH (HOLDLOCK) AS m
            USING (SELECT @source AS [SourceId], @day AS [Day]) AS k ON m.[SourceId] = k.[SourceId] AND m.[Day] = k.[Day]
            WHEN MATCHED THEN UPDATE SET [Received] = m.[Received] + @received, [Stored] = m.[Stored] + @stored,
                [Duplicates] = m.[Duplicates] + @duplicates, [Quarantined] = m.[Quarantined] + @quarantined, [Bytes] = m.[Bytes] + @bytes
            WHEN NOT MATCHED THEN INSERT ([SourceId], [Day], [Received], [Stored], [Duplicates], [Quarantined], [Bytes])
                VALUES (@source, @day, @received, @stored, @duplicates, @quarantined, @bytes);
            """;
        await using var command = new SqlCommand(merge, connection, transaction);
        command.Parameters.Add("@source", SqlDbType.BigInt).Value = batch.SourceId;
        command.Parameters.Add("@day", SqlDbType.Date).Value = DayOf(batch.ReceivedAt).ToDateTime(TimeOnly.MinValue);
        command.Parameters.Add("@received", SqlDbType.BigInt).Value = (long)batch.Received;
        command.Parameters.Add("@stored", SqlDbType.BigInt).Value = (long)stored;
        command.Parameters.Add("@duplicates", SqlDbType.BigInt).Value = (long)(batch.Logs.Count - stored);
        command.Parameters.Add("@quarantined", SqlDbType.BigInt).Value = (long)batch.Quarantined.Count;
        command.Parameters.Add("@bytes", SqlDbType.BigInt).Value = batch.Bytes;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
