namespace Relay.Cli.Commands;

/// <summary>The body of POST /v1/pools: one pool as in relayd's configuration file.</summary>
internal sealed record PoolBody(string Name, string Range, string Realm, string[] Exclusions);
