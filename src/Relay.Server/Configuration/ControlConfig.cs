namespace Relay.Server.Configuration;

/// <summary><c>control</c>: the control API used by relayctl.</summary>
internal sealed record ControlConfig
{
    public string Socket { get; set; } = "/run/relay/control.sock";
}
