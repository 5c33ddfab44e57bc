using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace Ctdr.Infrastructure.Persistence.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventId = table.Column<long>(type: "INTEGER", nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PlaybookId = table.Column<long>(type: "INTEGER", nullable: false),
                    PlaybookKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PlaybookName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PlaybookVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ResponseRuleId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    ApprovalDeadline = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ScopeText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandlingPolicies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Playbooks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    BuiltIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    DefaultDuration = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    StepsJson = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Playbooks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResponseRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MatchAll = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConditionsJson = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    ActionsJson = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequireApproval = table.Column<bool>(type: "INTEGER", nullable: false),
                    ApprovalMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    ApproveOnTimeout = table.Column<bool>(type: "INTEGER", nullable: false),
                    FiredCount = table.Column<long>(type: "INTEGER", nullable: false),
                    LastFiredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResponseState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    AlertCheckpoint = table.Column<long>(type: "INTEGER", nullable: false),
                    EventCheckpoint = table.Column<long>(type: "INTEGER", nullable: false),
                    EventIdCheckpoint = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRunAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HandlingTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PolicyId = table.Column<long>(type: "INTEGER", nullable: false),
                    Step = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Parameter = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CloudRuleId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Until = table.Column<long>(type: "INTEGER", nullable: true),
                    RevertRequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevertRequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    RevertAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RevertedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<long>(type: "INTEGER", nullable: false),
                    EventId = table.Column<long>(type: "INTEGER", nullable: true),
                    AlertId = table.Column<long>(type: "INTEGER", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FiredAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                values: new object[] { 1, 0L, 621355968000000000L, 0L, null });

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
