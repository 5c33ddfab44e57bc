using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace Ctdr.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LogIngestion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CloudAccounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Provider = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    AccountUid = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Regions = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    AccessKeyId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Endpoint = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    IsDisabled = table.Column<bool>(type: "bit", nullable: false),
                    IsSandbox = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CredentialsCheckedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CredentialsValid = table.Column<bool>(type: "bit", nullable: true),
                    CredentialsMessage = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CloudAccounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IngestionMeters",
                columns: table => new
                {
                    SourceId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Received = table.Column<long>(type: "bigint", nullable: false),
                    Stored = table.Column<long>(type: "bigint", nullable: false),
                    Duplicates = table.Column<long>(type: "bigint", nullable: false),
                    Quarantined = table.Column<long>(type: "bigint", nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IngestionMeters", x => new { x.SourceId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "QuarantinedRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SourceId = table.Column<long>(type: "bigint", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    Raw = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    PositionUid = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuarantinedRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SecurityLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SourceId = table.Column<long>(type: "bigint", nullable: false),
                    Uid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Time = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ClassUid = table.Column<int>(type: "int", nullable: false),
                    ActivityId = table.Column<int>(type: "int", nullable: false),
                    SeverityId = table.Column<int>(type: "int", nullable: false),
                    StatusId = table.Column<int>(type: "int", nullable: false),
                    DispositionId = table.Column<int>(type: "int", nullable: false),
                    ActionId = table.Column<int>(type: "int", nullable: false),
                    Message = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    Provider = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    AccountUid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Region = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Product = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    LogName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    SrcIp = table.Column<string>(type: "nvarchar(45)", maxLength: 45, nullable: true),
                    SrcPort = table.Column<int>(type: "int", nullable: true),
                    SrcIntermediateIp = table.Column<string>(type: "nvarchar(45)", maxLength: 45, nullable: true),
                    DstIp = table.Column<string>(type: "nvarchar(45)", maxLength: 45, nullable: true),
                    DstPort = table.Column<int>(type: "int", nullable: true),
                    DstHostname = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    HttpMethod = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    UrlHostname = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    UrlPath = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    UrlQuery = table.Column<string>(type: "nvarchar(max)", maxLength: 4096, nullable: true),
                    UserAgent = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    XForwardedFor = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    HttpRequestUid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    HttpStatus = table.Column<int>(type: "int", nullable: true),
                    LatencyMs = table.Column<int>(type: "int", nullable: true),
                    Protocol = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    DirectionId = table.Column<int>(type: "int", nullable: false),
                    ApiOperation = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ApiService = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ApiErrorCode = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ApiErrorMessage = table.Column<string>(type: "nvarchar(2048)", maxLength: 2048, nullable: true),
                    ActorUserName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ActorUserUid = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ActorUserType = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    ActorAccountUid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    ActorCredentialUid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    FirewallRuleUid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    FirewallRuleType = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Raw = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecurityLogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ServiceActivation",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    IsActivated = table.Column<bool>(type: "bit", nullable: false),
                    LogAccessPolicy = table.Column<bool>(type: "bit", nullable: false),
                    ActivatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ActivatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    PriceTiersJson = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceActivation", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LogSources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    AccountId = table.Column<long>(type: "bigint", nullable: true),
                    Product = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Region = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Project = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    LogStore = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    LogGroup = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    LogStream = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Topic = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    PullIntervalSeconds = table.Column<int>(type: "int", nullable: false),
                    AddedByPolicy = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Checkpoint = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    CheckpointVersion = table.Column<long>(type: "bigint", nullable: false),
                    StartAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastPullAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastSuccessAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastRecordTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastPullRecords = table.Column<int>(type: "int", nullable: false),
                    LastPullRecordsPerSecond = table.Column<double>(type: "float", nullable: false),
                    ConsecutiveFailures = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    LastErrorCode = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ValidatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ValidityPassed = table.Column<bool>(type: "bit", nullable: true),
                    ValidityReport = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    PushKeyHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    PushKeyPrefix = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogSources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LogSources_CloudAccounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "CloudAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CloudAccounts_Provider_AccountUid",
                table: "CloudAccounts",
                columns: new[] { "Provider", "AccountUid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IngestionMeters_Day",
                table: "IngestionMeters",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_LogSources_AccountId",
                table: "LogSources",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_QuarantinedRecords_ReceivedAt",
                table: "QuarantinedRecords",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_QuarantinedRecords_SourceId_Id",
                table: "QuarantinedRecords",
                columns: new[] { "SourceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SecurityLogs_ReceivedAt",
                table: "SecurityLogs",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SecurityLogs_SourceId_Time",
                table: "SecurityLogs",
                columns: new[] { "SourceId", "Time" });

            migrationBuilder.CreateIndex(
                name: "IX_SecurityLogs_SourceId_Uid",
                table: "SecurityLogs",
                columns: new[] { "SourceId", "Uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SecurityLogs_SrcIp_Time",
                table: "SecurityLogs",
                columns: new[] { "SrcIp", "Time" });

            migrationBuilder.CreateIndex(
                name: "IX_SecurityLogs_Time",
                table: "SecurityLogs",
                column: "Time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IngestionMeters");

            migrationBuilder.DropTable(
                name: "LogSources");

            migrationBuilder.DropTable(
                name: "QuarantinedRecords");

            migrationBuilder.DropTable(
                name: "SecurityLogs");

            migrationBuilder.DropTable(
                name: "ServiceActivation");

            migrationBuilder.DropTable(
                name: "CloudAccounts");
        }
    }
}
