namespace Relay.Client.Configuration;

/// <summary><c>hooks</c>: commands (run by /bin/sh -c, with RELAY_* environment variables) on tunnel up and down.</summary>
internal sealed record HooksConfig
{
    public string? Up { get; set; }

    public string? Down { get; set; }

    /// <summary>Seconds a hook may run before it is killed.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}
