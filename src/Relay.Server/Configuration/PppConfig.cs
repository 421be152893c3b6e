namespace Relay.Server.Configuration;

/// <summary><c>ppp</c>: PPP settings.</summary>
internal sealed record PppConfig
{
    /// <summary>CHAP/PAP secrets file; null means no PPP authentication.</summary>
    public string? SecretsFile { get; set; } = "/etc/relay/ppp-secrets";
}
