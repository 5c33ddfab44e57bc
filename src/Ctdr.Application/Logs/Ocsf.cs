namespace Ctdr.Application.Logs;

/// <summary>OCSF event classes Ctdr normalises into (schema 1.x). The value is the OCSF <c>class_uid</c>.</summary>
public enum OcsfClass
{
    DetectionFinding = 2004,
    Authentication = 3002,
    NetworkActivity = 4001,
    HttpActivity = 4002,
    ApiActivity = 6003,
}

/// <summary>OCSF <c>severity_id</c>.</summary>
public enum OcsfSeverity
{
    Unknown = 0,
    Informational = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
    Fatal = 6,
    Other = 99,
}

/// <summary>OCSF <c>disposition_id</c> (security control profile), the values Ctdr's sources produce.</summary>
public enum OcsfDisposition
{
    Unknown = 0,
    Allowed = 1,
    Blocked = 2,
    Detected = 15,
    Logged = 17,
    Captcha = 22,
    Challenge = 23,
    Other = 99,
}

/// <summary>OCSF activity ids of the classes above, where their names help reading normalisers.</summary>
public static class OcsfActivity
{
    // HTTP Activity (4002)
    public const int HttpConnect = 1;
    public const int HttpDelete = 2;
    public const int HttpGet = 3;
    public const int HttpHead = 4;
    public const int HttpOptions = 5;
    public const int HttpPost = 6;
    public const int HttpPut = 7;
    public const int HttpTrace = 8;
    public const int HttpPatch = 9;

    // Network Activity (4001)
    public const int NetworkTraffic = 6;

    // API Activity (6003)
    public const int ApiCreate = 1;
    public const int ApiRead = 2;
    public const int ApiUpdate = 3;
    public const int ApiDelete = 4;

    // Authentication (3002)
    public const int Logon = 1;
    public const int Logoff = 2;

    // Detection Finding (2004)
    public const int FindingCreate = 1;

    public const int Other = 99;

    /// <summary>HTTP Activity's activity id for a request method (case-insensitive); 99 when unknown.</summary>
    public static int FromHttpMethod(ReadOnlySpan<char> method) => method switch
    {
        _ when method.Equals("GET", StringComparison.OrdinalIgnoreCase) => HttpGet,
        _ when method.Equals("POST", StringComparison.OrdinalIgnoreCase) => HttpPost,
        _ when method.Equals("PUT", StringComparison.OrdinalIgnoreCase) => HttpPut,
        _ when method.Equals("DELETE", StringComparison.OrdinalIgnoreCase) => HttpDelete,
        _ when method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) => HttpHead,
        _ when method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase) => HttpOptions,
        _ when method.Equals("PATCH", StringComparison.OrdinalIgnoreCase) => HttpPatch,
        _ when method.Equals("TRACE", StringComparison.OrdinalIgnoreCase) => HttpTrace,
        _ when method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase) => HttpConnect,
        _ => Other,
    };

    /// <summary>API Activity's activity id from an API name's verb (Create/Add/Attach, Describe/List/Get, Modify/Update/Set, Delete/Remove/Detach).</summary>
    public static int FromApiOperation(ReadOnlySpan<char> operation)
    {
        static bool Starts(ReadOnlySpan<char> s, string prefix) => s.StartsWith(prefix, StringComparison.Ordinal);
        if (Starts(operation, "Create") || Starts(operation, "Add") || Starts(operation, "Attach") || Starts(operation, "Put"))
        {
            return ApiCreate;
        }

        if (Starts(operation, "Describe") || Starts(operation, "List") || Starts(operation, "Get") || Starts(operation, "Query"))
        {
            return ApiRead;
        }

        if (Starts(operation, "Modify") || Starts(operation, "Update") || Starts(operation, "Set") || Starts(operation, "Stop") || Starts(operation, "Start") || Starts(operation, "Enable") || Starts(operation, "Disable"))
        {
            return ApiUpdate;
        }

        if (Starts(operation, "Delete") || Starts(operation, "Remove") || Starts(operation, "Detach"))
        {
            return ApiDelete;
        }

        return Other;
    }
}
