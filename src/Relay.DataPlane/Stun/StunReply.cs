namespace Relay.DataPlane.Stun;

/// <summary>How <see cref="StunBindingRequest.Read"/> classified a datagram.</summary>
internal enum StunReply
{
    Ignore,
    Ok,
    Error,
}
