namespace Relay.Client.Configuration;

/// <summary><c>reconnect</c>: capped exponential backoff with jitter between attempts to reach relayd.</summary>
internal sealed record ReconnectConfig
{
    /// <summary>Delay before the first retry, in milliseconds; doubled after each failure.</summary>
    public int InitialDelayMs { get; set; } = 1000;

    /// <summary>Cap on the delay, in milliseconds.</summary>
    public int MaxDelayMs { get; set; } = 60_000;
}
