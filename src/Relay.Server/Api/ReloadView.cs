namespace Relay.Server.Api;

/// <summary>The outcome of the last reload (API or SIGHUP), for <c>GET /v1/status</c>.</summary>
internal sealed record ReloadView(DateTimeOffset At, string Trigger, bool Ok, string Summary);
