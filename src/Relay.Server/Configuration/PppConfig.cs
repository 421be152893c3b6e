namespace Relay.Server.Configuration;

/// <summary><c>ppp</c>: PPP settings (RFC 1661, 1332, 1994, 2759, 1334).</summary>
internal sealed record PppConfig
{
    /// <summary>pppd-format chap-secrets file; null means no PPP authentication.</summary>
    public string? SecretsFile { get; set; } = "/etc/relay/ppp-secrets";

    /// <summary>Authentication methods relayd demands, in order of preference: "mschapv2", "chap", "pap".</summary>
    public List<string> Auth { get; set; } = ["mschapv2", "chap"];

    /// <summary>The MRU relayd asks for and the largest it accepts from a client.</summary>
    public int Mru { get; set; } = 1400;

    /// <summary>Seconds between LCP Echo-Requests to an idle client.</summary>
    public int EchoIntervalSeconds { get; set; } = 30;

    /// <summary>Unanswered Echo-Requests before the client is declared dead.</summary>
    public int EchoFailures { get; set; } = 4;

    /// <summary>relayd's own address on the PPP links (IPCP); null = the first usable address of the first pool.</summary>
    public string? LocalAddress { get; set; }

    /// <summary>DNS servers offered to clients by IPCP (RFC 1877).</summary>
    public List<string> Dns { get; set; } = [];

    /// <summary>Failed PPP logins tolerated on one tunnel per minute before the tunnel is closed.</summary>
    public int MaxAuthFailuresPerTunnelPerMinute { get; set; } = 5;
}
