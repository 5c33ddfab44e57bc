namespace Ctdr.Infrastructure.Sandbox;

/// <summary>The <c>Sandbox</c> section: the local emulation of the clouds that stands in for the internet.</summary>
public sealed class SandboxSettings
{
    public const string SectionName = "Sandbox";

    /// <summary>Run the sandbox cloud inside the web process (the default for a first run).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the sandbox listens (its own port, so the providers' paths are the real ones).</summary>
    public string Url { get; set; } = "http://127.0.0.1:5090";

    /// <summary>Generate benign traffic and the attack scenarios continuously.</summary>
    public bool GenerateTraffic { get; set; } = true;

    /// <summary>Seed of the traffic generator, for reproducible demos; random when null.</summary>
    public int? Seed { get; set; }

    /// <summary>How often the next attack scenario starts while traffic is generated; zero for none.</summary>
    public TimeSpan ScenarioEvery { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>The address the sandbox actually listens on, once started (port 0 picks a free one).</summary>
public sealed class SandboxEndpoint
{
    private Uri? _address;

    public Uri? Address => Volatile.Read(ref _address);

    public void Set(Uri address) => Volatile.Write(ref _address, address);
}
