namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// One line of a pppd-style secrets file (chap-secrets/pap-secrets): who authenticates
/// (<see cref="Client"/>) to whom (<see cref="Server"/>) with which secret, and the addresses the
/// client may use (empty: any from the pools; a single address: a static assignment).
/// </summary>
public sealed record PppCredential(string Client, string Server, string Secret, IReadOnlyList<string> Addresses);
