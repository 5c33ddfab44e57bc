using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace Ctdr.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Response : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HandlingPolicies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    EventId = table.Column<long>(type: "bigint", nullable: true),
                    Target = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    PlaybookId = table.Column<long>(type: "bigint", nullable: false),
                    PlaybookKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PlaybookName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    PlaybookVersion = table.Column<int>(type: "int", nullable: false),
                    Origin = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ResponseRuleId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StartAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    EndAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    DryRun = table.Column<bool>(type: "bit", nullable: false),
                    ApprovalDeadline = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    DecidedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ScopeText = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandlingPolicies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Playbooks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Key = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    BuiltIn = table.Column<bool>(type: "bit", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    DefaultDuration = table.Column<TimeSpan>(type: "time", nullable: false),
                    StepsJson = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Playbooks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResponseRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Order = table.Column<int>(type: "int", nullable: false),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    MatchAll = table.Column<bool>(type: "bit", nullable: false),
                    ConditionsJson = table.Column<string>(type: "nvarchar(max)", maxLength: 10000, nullable: false),
                    ActionsJson = table.Column<string>(type: "nvarchar(max)", maxLength: 10000, nullable: false),
                    DryRun = table.Column<bool>(type: "bit", nullable: false),
                    RequireApproval = table.Column<bool>(type: "bit", nullable: false),
                    ApprovalMinutes = table.Column<int>(type: "int", nullable: false),
                    ApproveOnTimeout = table.Column<bool>(type: "bit", nullable: false),
                    FiredCount = table.Column<long>(type: "bigint", nullable: false),
                    LastFiredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResponseState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    AlertCheckpoint = table.Column<long>(type: "bigint", nullable: false),
                    EventCheckpoint = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    EventIdCheckpoint = table.Column<long>(type: "bigint", nullable: false),
                    LastRunAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HandlingTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PolicyId = table.Column<long>(type: "bigint", nullable: false),
                    Step = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Provider = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: true),
                    AccountId = table.Column<long>(type: "bigint", nullable: true),
                    InstanceId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Domain = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Address = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Parameter = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CloudRuleId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    Until = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevertRequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevertRequestedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    RevertAttempts = table.Column<int>(type: "int", nullable: false),
                    RevertedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Detail = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandlingTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HandlingTasks_HandlingPolicies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "HandlingPolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ResponseRuleFirings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RuleId = table.Column<long>(type: "bigint", nullable: false),
                    EventId = table.Column<long>(type: "bigint", nullable: true),
                    AlertId = table.Column<long>(type: "bigint", nullable: true),
                    Subject = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    FiredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseRuleFirings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResponseRuleFirings_ResponseRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "ResponseRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "ResponseState",
                columns: new[] { "Id", "AlertCheckpoint", "EventCheckpoint", "EventIdCheckpoint", "LastRunAt" },
                values: new object[] { 1, 0L, new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 0L, null });

            migrationBuilder.CreateIndex(
                name: "IX_HandlingPolicies_EventId",
                table: "HandlingPolicies",
                column: "EventId");

            migrationBuilder.CreateIndex(
                name: "IX_HandlingPolicies_Status_CreatedAt",
                table: "HandlingPolicies",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_HandlingPolicies_Target",
                table: "HandlingPolicies",
                column: "Target");

            migrationBuilder.CreateIndex(
                name: "IX_HandlingTasks_PolicyId",
                table: "HandlingTasks",
                column: "PolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_HandlingTasks_Status_NextAttemptAt",
                table: "HandlingTasks",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Playbooks_Key",
                table: "Playbooks",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ResponseRuleFirings_RuleId_Subject",
                table: "ResponseRuleFirings",
                columns: new[] { "RuleId", "Subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ResponseRules_Enabled_Order",
                table: "ResponseRules",
                columns: new[] { "Enabled", "Order" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HandlingTasks");

            migrationBuilder.DropTable(
                name: "Playbooks");

            migrationBuilder.DropTable(
                name: "ResponseRuleFirings");

            migrationBuilder.DropTable(
                name: "ResponseState");

            migrationBuilder.DropTable(
                name: "HandlingPolicies");

            migrationBuilder.DropTable(
                name: "ResponseRules");
        }
    }
}
