using System.Buffers;
using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// ActionTrail events (cloud-protocols.md §3.3) → API Activity (6003), or Authentication (3002) for console
/// sign-in/sign-out. The event is taken from wherever it is: the SLS field <c>event</c> holding the event JSON as a
/// string (what the ActionTrail delivery writes), <c>event</c> as an object, flattened <c>event.*</c> fields, or the
/// event object itself at the top level. Activity from the API name's verb; status Failure when
/// <c>errorCode</c> is set; uid = <c>eventId</c>.
/// </summary>
internal sealed class AlibabaActionTrailNormalizer : ILogNormalizer
{
    public LogProduct Product => LogProduct.AlibabaActionTrail;

    public bool TryNormalize(RawRecord record, LogContext context, out SecurityLog? log, out string? rejection)
    {
        ArgumentNullException.ThrowIfNull(context);
        log = null;
        var json = record.Json.Span;
        try
        {
            if (!JsonRecord.TryOpen(json, out var reader, out rejection))
            {
                return false;
            }

            var sink = default(EventSink);
            Span<char> path = stackalloc char[JsonPaths.MaxPathLength];
            JsonPaths.Walk(ref reader, ref sink, path, 0);
            if (!sink.Ok)
            {
                rejection = sink.Fields.Rejection;
                return false;
            }

            var time = sink.EventTime ?? sink.ReceiveTime;
            if (time is null)
            {
                rejection = "missing required field 'eventTime'";
                return false;
            }

            var failed = !string.IsNullOrEmpty(sink.ErrorCode);
            var signIn = string.Equals(sink.EventType, "ConsoleSignin", StringComparison.Ordinal);
            var signOut = string.Equals(sink.EventType, "ConsoleSignout", StringComparison.Ordinal);
            log = new SecurityLog
            {
                SourceId = context.SourceId,
                Uid = LogUid.For(sink.EventId, record),
                Time = time.Value,
                ClassUid = signIn || signOut ? OcsfClass.Authentication : OcsfClass.ApiActivity,
                ActivityId = signIn ? OcsfActivity.Logon
                    : signOut ? OcsfActivity.Logoff
                    : sink.EventName is null ? OcsfActivity.Other : OcsfActivity.FromApiOperation(sink.EventName),
                SeverityId = failed && signIn ? OcsfSeverity.Low : OcsfSeverity.Informational,
                StatusId = failed ? 2 : 1,
                Provider = context.Provider,
                AccountUid = sink.RecipientAccount ?? context.AccountUid,
                Region = sink.Region ?? context.Region,
                Product = LogProduct.AlibabaActionTrail,
                LogName = context.LogName,
                SrcIp = sink.SourceIp,
                DstHostname = sink.EventSource,
                UserAgent = sink.UserAgent,
                ApiOperation = sink.EventName,
                ApiService = sink.ServiceName ?? sink.EventSource,
                ApiErrorCode = failed ? sink.ErrorCode : null,
                ApiErrorMessage = sink.ErrorMessage,
                ActorUserType = sink.UserType,
                ActorUserUid = sink.PrincipalId,
                ActorUserName = sink.UserName,
                ActorAccountUid = sink.AccountId,
                ActorCredentialUid = sink.AccessKeyId,
                Raw = record.Json,
            };
            return true;
        }
        catch (JsonException exception)
        {
            rejection = JsonRecord.Describe(json, exception);
            return false;
        }
        catch (InvalidOperationException)
        {
            rejection = JsonRecord.InvalidUtf8;
            return false;
        }
    }

    private struct EventSink : IJsonLeafSink
    {
        public FieldReader Fields;
        public DateTimeOffset? EventTime;
        public DateTimeOffset? ReceiveTime;
        public string? EventId, EventName, EventType, EventSource, ServiceName, Region, SourceIp, UserAgent, ErrorCode, ErrorMessage;
        public string? UserType, PrincipalId, UserName, AccountId, AccessKeyId, RecipientAccount;

        public readonly bool Ok => Fields.Ok;

        public bool Leaf(scoped ReadOnlySpan<char> path, ref Utf8JsonReader reader)
        {
            if (path.SequenceEqual("__time__"))
            {
                ReceiveTime = Fields.Time(ref reader, "__time__");
                return true;
            }

            if (path.SequenceEqual("event") && reader.TokenType == JsonTokenType.String)
            {
                ReadEmbeddedEvent(ref reader);
                return true;
            }

            var field = path.StartsWith("event.") ? path[6..] : path;
            switch (field)
            {
                case "eventId": EventId = Fields.Text(ref reader, "eventId"); return true;
                case "eventTime": EventTime = Fields.Time(ref reader, "eventTime"); return true;
                case "eventName": EventName = Fields.Cached(ref reader, "eventName"); return true;
                case "eventType": EventType = Fields.Cached(ref reader, "eventType"); return true;
                case "eventSource": EventSource = Fields.Cached(ref reader, "eventSource"); return true;
                case "serviceName": ServiceName = Fields.Cached(ref reader, "serviceName"); return true;
                case "acsRegion": Region = Fields.Cached(ref reader, "acsRegion"); return true;
                case "sourceIpAddress": SourceIp = Fields.Cached(ref reader, "sourceIpAddress"); return true;
                case "userAgent": UserAgent = Fields.Cached(ref reader, "userAgent"); return true;
                case "errorCode": ErrorCode = Fields.Cached(ref reader, "errorCode"); return true;
                case "errorMessage": ErrorMessage = Fields.Text(ref reader, "errorMessage"); return true;
                case "recipientAccountId": RecipientAccount = Fields.Cached(ref reader, "recipientAccountId"); return true;
                case "userIdentity.type": UserType = Fields.Cached(ref reader, "userIdentity.type"); return true;
                case "userIdentity.principalId": PrincipalId = Fields.Cached(ref reader, "userIdentity.principalId"); return true;
                case "userIdentity.userName": UserName = Fields.Cached(ref reader, "userIdentity.userName"); return true;
                case "userIdentity.accountId": AccountId = Fields.Cached(ref reader, "userIdentity.accountId"); return true;
                case "userIdentity.accessKeyId": AccessKeyId = Fields.Cached(ref reader, "userIdentity.accessKeyId"); return true;
                default: return false;
            }
        }

        /// <summary>The SLS field <c>event</c> holds the event as a JSON string: unescape it and walk it too.</summary>
        private void ReadEmbeddedEvent(ref Utf8JsonReader reader)
        {
            var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
            try
            {
                var inner = rented.AsSpan(0, reader.CopyString(rented));
                try
                {
                    var nested = new Utf8JsonReader(inner, JsonRecord.ReaderOptions);
                    if (!nested.Read() || nested.TokenType != JsonTokenType.StartObject)
                    {
                        Fields.Fail("field 'event' does not hold a JSON object");
                        return;
                    }

                    Span<char> path = stackalloc char[JsonPaths.MaxPathLength];
                    JsonPaths.Walk(ref nested, ref this, path, 0);
                }
                catch (JsonException exception)
                {
                    Fields.Fail("field 'event' holds " + JsonRecord.Describe(inner, exception));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
