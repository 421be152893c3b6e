namespace Relay.Client.Configuration;

/// <summary><c>ppp</c>: who we are to relayd's PPP authenticator, and how the link is watched.</summary>
internal sealed record ClientPppConfig
{
    public string User { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Seconds between LCP Echo-Requests (RFC 1661 §5.8).</summary>
    public int EchoIntervalSeconds { get; set; } = 10;

    /// <summary>Unanswered echoes in a row that end the session (and start a reconnection).</summary>
    public int EchoFailures { get; set; } = 3;
}
