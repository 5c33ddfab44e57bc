using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace Ctdr.Infrastructure.Persistence.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountUid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Regions = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    AccessKeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    IsDisabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsSandbox = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CredentialsCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CredentialsValid = table.Column<bool>(type: "INTEGER", nullable: true),
                    CredentialsMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CloudAccounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IngestionMeters",
                columns: table => new
                {
                    SourceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Received = table.Column<long>(type: "INTEGER", nullable: false),
                    Stored = table.Column<long>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<long>(type: "INTEGER", nullable: false),
                    Quarantined = table.Column<long>(type: "INTEGER", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IngestionMeters", x => new { x.SourceId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "QuarantinedRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Raw = table.Column<string>(type: "TEXT", nullable: false),
                    PositionUid = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuarantinedRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SecurityLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Uid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClassUid = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    SeverityId = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusId = table.Column<int>(type: "INTEGER", nullable: false),
                    DispositionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AccountUid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Region = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Product = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LogName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SrcIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    SrcPort = table.Column<int>(type: "INTEGER", nullable: true),
                    SrcIntermediateIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    DstIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    DstPort = table.Column<int>(type: "INTEGER", nullable: true),
                    DstHostname = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    HttpMethod = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    UrlHostname = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    UrlPath = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    UrlQuery = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    XForwardedFor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    HttpRequestUid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    HttpStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    LatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    Protocol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DirectionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ApiOperation = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ApiService = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ApiErrorCode = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ApiErrorMessage = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ActorUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ActorUserUid = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ActorUserType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActorAccountUid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ActorCredentialUid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    FirewallRuleUid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    FirewallRuleType = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Raw = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecurityLogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ServiceActivation",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActivated = table.Column<bool>(type: "INTEGER", nullable: false),
                    LogAccessPolicy = table.Column<bool>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ActivatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    PriceTiersJson = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceActivation", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LogSources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    Product = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Project = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LogStore = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LogGroup = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LogStream = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PullIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    AddedByPolicy = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Checkpoint = table.Column<string>(type: "TEXT", nullable: true),
                    CheckpointVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    StartAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastPullAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSuccessAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastRecordTime = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPullRecords = table.Column<int>(type: "INTEGER", nullable: false),
                    LastPullRecordsPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastErrorCode = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ValidatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ValidityPassed = table.Column<bool>(type: "INTEGER", nullable: true),
                    ValidityReport = table.Column<string>(type: "TEXT", nullable: true),
                    PushKeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PushKeyPrefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
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
