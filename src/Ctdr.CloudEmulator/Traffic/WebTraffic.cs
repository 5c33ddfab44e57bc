namespace Ctdr.CloudEmulator.Traffic;

/// <summary>Builds the HTTP requests behind the WAF logs: a benign baseline and the attack scenarios.</summary>
internal static class WebTraffic
{
    public static readonly string[] Hosts = ["shop.example.com", "api.example.com", "www.example.com"];

    /// <summary>Benign clients: 40 addresses of the documentation range 192.0.2.0/24.</summary>
    public static readonly string[] BenignIps = [.. Enumerable.Range(0, 40).Select(i => $"192.0.2.{10 + (i * 6)}")];

    public static readonly string[] BrowserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    ];

    private static readonly (string Method, string Path, string Query)[] BenignRequests =
    [
        ("GET", "/", ""),
        ("GET", "/index.html", ""),
        ("GET", "/products", "page=2"),
        ("GET", "/products/1042", ""),
        ("GET", "/products/2210", ""),
        ("GET", "/search", "q=running+shoes"),
        ("GET", "/cart", ""),
        ("POST", "/cart/items", ""),
        ("GET", "/static/app.js", ""),
        ("GET", "/static/site.css", ""),
        ("GET", "/images/logo.png", ""),
        ("GET", "/api/v1/items", "limit=20&offset=40"),
        ("GET", "/api/v1/orders/77812", ""),
        ("GET", "/login", ""),
        ("POST", "/login", ""),
        ("GET", "/account", ""),
    ];

    private static readonly (string Query, string Hit)[] SqlPayloads =
    [
        ("id=1%20union%20select%201,2", "union select 1,2"),
        ("id=1'%20or%20'1'='1", "' or '1'='1"),
        ("id=1%20and%20sleep(5)", "and sleep(5)"),
        ("id=1;drop%20table%20users--", ";drop table users--"),
        ("id=-1%20union%20all%20select%20null,concat(user(),0x3a,version())", "union all select null,concat(user(),0x3a,version())"),
    ];

    private static readonly string[] XssPayloads =
    [
        "q=%3Cscript%3Ealert(1)%3C/script%3E",
        "q=%3Cimg%20src=x%20onerror=alert(document.cookie)%3E",
        "q=%22%3E%3Csvg/onload=alert(1)%3E",
    ];

    private static readonly string[] ScanPaths =
    [
        "/.env", "/.git/config", "/admin/", "/backup.zip", "/wp-login.php", "/phpmyadmin/", "/config.php.bak",
        "/server-status", "/.aws/credentials", "/db.sql", "/old/", "/test.php", "/.DS_Store", "/api/swagger.json",
    ];

    /// <summary>
    /// The kill chain's scan wordlist: directories and consoles only, so that the scan raises the scan rules and not
    /// the sensitive-file rule (which the <c>dirscan</c> scenario covers).
    /// </summary>
    private static readonly string[] KillChainScanPaths =
    [
        "/admin/", "/administrator/", "/manager/html", "/phpmyadmin/", "/console/", "/dashboard/", "/cgi-bin/",
        "/includes/", "/uploads/", "/upload/", "/files/", "/tmp/", "/test/", "/dev/", "/staging/", "/install/",
        "/setup/", "/api/v2/", "/api/internal/", "/server-status", "/webdav/", "/portal/", "/private/", "/assets/admin/",
    ];

    private static readonly string[] KillChainShellCommands = ["id", "whoami", "uname%20-a"];

    public static Visit Benign(Random rng, DateTimeOffset now)
    {
        var ipIndex = rng.Next(BenignIps.Length);
        var (method, path, query) = BenignRequests[rng.Next(BenignRequests.Length)];
        var roll = rng.Next(100);
        var status = path == "/login" && method == "POST" ? (roll < 85 ? 302 : 401)
            : method == "POST" ? 200
            : roll < 80 ? 200 : roll < 88 ? 304 : roll < 94 ? 404 : roll < 99 ? 302 : 500;
        return new Visit(
            now,
            BenignIps[ipIndex],
            rng.Next(1024, 65535),
            method,
            Hosts[rng.Next(Hosts.Length)],
            path,
            query,
            BrowserAgents[ipIndex % BrowserAgents.Length],
            rng.Next(3) == 0 ? "https://www.example.com/" : "-",
            status,
            status == 304 ? 0 : rng.Next(200, 48_000),
            rng.Next(300, 1_200),
            rng.Next(1, 250),
            AttackKind.None,
            string.Empty);
    }

    public static Visit Attack(ScenarioInfo scenario, long counter, Random rng, DateTimeOffset now)
    {
        var port = rng.Next(1024, 65535);
        var host = Hosts[0];
        switch (scenario.Name)
        {
            case "sqli":
            {
                var (query, hit) = SqlPayloads[counter % SqlPayloads.Length];
                var path = counter % 2 == 0 ? "/index.php" : "/products.php";
                return new Visit(now, scenario.AttackerIp, port, "GET", host, path, query, "sqlmap/1.7.2#stable (https://sqlmap.org)", "-", 200, rng.Next(500, 5000), rng.Next(350, 700), rng.Next(1, 20), AttackKind.SqlInjection, hit, counter);
            }

            case "xss":
            {
                var query = XssPayloads[counter % XssPayloads.Length];
                return new Visit(now, scenario.AttackerIp, port, "GET", host, "/search", query, BrowserAgents[2], "-", 200, rng.Next(2000, 9000), rng.Next(350, 700), rng.Next(1, 20), AttackKind.CrossSiteScripting, Uri.UnescapeDataString(query[2..]), counter);
            }

            case "webshell":
                return counter % 2 == 0
                    ? new Visit(now, scenario.AttackerIp, port, "POST", host, "/upload.php", "", "python-requests/2.31.0", "-", 200, 120, rng.Next(1500, 4000), rng.Next(5, 60), AttackKind.WebShell, "<?php @eval($_POST['cmd']);?>", counter)
                    : new Visit(now, scenario.AttackerIp, port, "GET", host, "/uploads/shell.php", "cmd=id", "python-requests/2.31.0", "-", 200, 64, rng.Next(300, 500), rng.Next(5, 60), AttackKind.WebShell, "cmd=id", counter);

            case "dirscan":
            {
                var path = ScanPaths[counter % ScanPaths.Length];
                return new Visit(now, scenario.AttackerIp, port, "GET", host, path, "", "gobuster/3.6", "-", 404, 153, rng.Next(200, 320), rng.Next(1, 10), AttackKind.DirectoryScan, path, counter);
            }

            case "bruteforce":
                return new Visit(now, scenario.AttackerIp, port, "POST", host, "/login", "", "python-requests/2.31.0", "-", 401, 87, rng.Next(420, 520), rng.Next(20, 120), AttackKind.BruteForce, string.Empty, counter);

            default:
                throw new ArgumentException($"Scenario '{scenario.Name}' produces no web requests.");
        }
    }

    /// <summary>
    /// A web request of the kill chain. The scan's index is the visit's counter, so the WAFs' scan protection
    /// judges the chain's scan like any other (blocking from its 21st request).
    /// </summary>
    public static Visit KillChainVisit(KillChainStep step, Random rng)
    {
        var port = rng.Next(1024, 65535);
        var host = Hosts[0];
        var ip = KillChain.AttackerIp;
        switch (step.Stage)
        {
            case KillChainStage.DirectoryScan:
            {
                var path = KillChainScanPaths[step.Index % KillChainScanPaths.Length];
                return new Visit(step.Time, ip, port, "GET", host, path, "", "gobuster/3.6", "-", 404, 153, rng.Next(200, 320), rng.Next(1, 10), AttackKind.DirectoryScan, path, step.Index);
            }

            case KillChainStage.SqlInjection:
            {
                var (query, hit) = SqlPayloads[step.Index % SqlPayloads.Length];
                var path = step.Index % 2 == 0 ? "/index.php" : "/products.php";
                return new Visit(step.Time, ip, port, "GET", host, path, query, "sqlmap/1.7.2#stable (https://sqlmap.org)", "-", 200, rng.Next(500, 5000), rng.Next(350, 700), rng.Next(1, 20), AttackKind.SqlInjection, hit, step.Index);
            }

            case KillChainStage.WebShell:
            {
                if (step.Index % 2 == 0)
                {
                    return new Visit(step.Time, ip, port, "POST", host, "/upload.php", "", "python-requests/2.31.0", "-", 200, 120, rng.Next(1500, 4000), rng.Next(5, 60), AttackKind.WebShell, "<?php @eval($_POST['cmd']);?>", step.Index);
                }

                var query = "cmd=" + KillChainShellCommands[step.Index / 2 % KillChainShellCommands.Length];
                return new Visit(step.Time, ip, port, "GET", host, "/uploads/shell.php", query, "python-requests/2.31.0", "-", 200, 64, rng.Next(300, 500), rng.Next(5, 60), AttackKind.WebShell, Uri.UnescapeDataString(query), step.Index);
            }

            default:
                throw new ArgumentException($"Kill-chain stage {step.Stage} has no web request.");
        }
    }
}
