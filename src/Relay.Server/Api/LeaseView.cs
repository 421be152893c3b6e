namespace Relay.Server.Api;

/// <summary>One leased address of a pool (<c>GET /v1/pools?leases=true</c>).</summary>
internal sealed record LeaseView(string Address, string Session, bool Static);
