namespace Relay.Server.Api;

/// <summary><c>GET /v1/firewall</c>: the nftables ruleset generated from the running configuration (what <c>relayd --print-firewall</c> prints for a file).</summary>
internal sealed record FirewallResponse(string ConfigDigest, string Ruleset);
