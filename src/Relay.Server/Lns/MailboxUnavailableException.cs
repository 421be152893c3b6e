namespace Relay.Server.Lns;

/// <summary>The control loop cannot take a request now (stopping, or its queue is full).</summary>
internal sealed class MailboxUnavailableException(string message) : Exception(message);
