using System;
using Microsoft.EntityFrameworkCore.Migrations;


namespace Ctdr.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Events : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CorrelationState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Checkpoint = table.Column<long>(type: "bigint", nullable: false),
                    LastRunAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CorrelationState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SecurityEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ThreatLevel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ThreatScore = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    StatusBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    StatusAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Assignee = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    FirstSeen = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastSeen = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    AlertCount = table.Column<int>(type: "int", nullable: false),
                    Providers = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Accounts = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    MergedIntoId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecurityEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EventKeys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    EventId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Value = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventKeys_SecurityEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "SecurityEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EventMemberships",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    AlertId = table.Column<long>(type: "bigint", nullable: false),
                    EventId = table.Column<long>(type: "bigint", nullable: false),
                    Origin = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    OpenedEvent = table.Column<bool>(type: "bit", nullable: false),
                    SharedKeyKind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    SharedKeyValue = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    EventLastSeenBefore = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Window = table.Column<TimeSpan>(type: "time", nullable: false),
                    PreviousEventId = table.Column<long>(type: "bigint", nullable: true),
                    By = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    JoinedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventMemberships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventMemberships_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EventMemberships_SecurityEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "SecurityEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "CorrelationState",
                columns: new[] { "Id", "Checkpoint", "LastRunAt" },
                values: new object[] { 1, 0L, null });

            migrationBuilder.CreateIndex(
                name: "IX_EventKeys_EventId_Kind_Value",
                table: "EventKeys",
                columns: new[] { "EventId", "Kind", "Value" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EventKeys_Kind_Value",
                table: "EventKeys",
                columns: new[] { "Kind", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_EventMemberships_AlertId",
                table: "EventMemberships",
                column: "AlertId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EventMemberships_EventId",
                table: "EventMemberships",
                column: "EventId");

            migrationBuilder.CreateIndex(
                name: "IX_SecurityEvents_Status_LastSeen",
                table: "SecurityEvents",
                columns: new[] { "Status", "LastSeen" });

            migrationBuilder.CreateIndex(
                name: "IX_SecurityEvents_ThreatScore",
                table: "SecurityEvents",
                column: "ThreatScore");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CorrelationState");

            migrationBuilder.DropTable(
                name: "EventKeys");

            migrationBuilder.DropTable(
                name: "EventMemberships");

            migrationBuilder.DropTable(
                name: "SecurityEvents");
        }
    }
}
