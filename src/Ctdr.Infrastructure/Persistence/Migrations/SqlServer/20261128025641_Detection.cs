using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace Ctdr.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Detection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AlertAllowList",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RuleKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Condition = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    SuppressedCount = table.Column<long>(type: "bigint", nullable: false),
                    LastSuppressedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertAllowList", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DetectionRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Key = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Origin = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Severity = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ThreatLevel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Tactic = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    Technique = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    Products = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Author = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    License = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SourceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    SamplesPassedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    StateChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DetectionRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DetectionState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Checkpoint = table.Column<long>(type: "bigint", nullable: false),
                    Watermark = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LeaseOwner = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RulesVersion = table.Column<long>(type: "bigint", nullable: false),
                    LastRunAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastLogTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DetectionState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Fingerprint = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RuleId = table.Column<long>(type: "bigint", nullable: false),
                    RuleKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RuleTitle = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RuleVersion = table.Column<int>(type: "int", nullable: false),
                    RuleOrigin = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    RuleAuthor = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    RuleLicense = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Severity = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ThreatLevel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Tactic = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    Technique = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    IsShadow = table.Column<bool>(type: "bit", nullable: false),
                    Provider = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    AccountUid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Product = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Ip = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Asset = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Account = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    User = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    AccessKey = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: true),
                    FirstSeen = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastSeen = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    StatusBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    StatusAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Alerts_DetectionRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "DetectionRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AlertEvidence",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    AlertId = table.Column<long>(type: "bigint", nullable: false),
                    LogId = table.Column<long>(type: "bigint", nullable: false),
                    SourceId = table.Column<long>(type: "bigint", nullable: false),
                    Uid = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Time = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertEvidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertEvidence_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "DetectionState",
                columns: new[] { "Id", "Checkpoint", "LastLogTime", "LastRunAt", "LeaseOwner", "LeaseUntil", "RulesVersion", "Watermark" },
                values: new object[] { 1, 0L, null, null, null, null, 0L, null });

            migrationBuilder.CreateIndex(
                name: "IX_AlertEvidence_AlertId",
                table: "AlertEvidence",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Fingerprint",
                table: "Alerts",
                column: "Fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Ip",
                table: "Alerts",
                column: "Ip");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_LastSeen",
                table: "Alerts",
                column: "LastSeen");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_RuleId_LastSeen",
                table: "Alerts",
                columns: new[] { "RuleId", "LastSeen" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Status_LastSeen",
                table: "Alerts",
                columns: new[] { "Status", "LastSeen" });

            migrationBuilder.CreateIndex(
                name: "IX_DetectionRules_Key",
                table: "DetectionRules",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DetectionRules_Origin_State",
                table: "DetectionRules",
                columns: new[] { "Origin", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertAllowList");

            migrationBuilder.DropTable(
                name: "AlertEvidence");

            migrationBuilder.DropTable(
                name: "DetectionState");

            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "DetectionRules");
        }
    }
}
