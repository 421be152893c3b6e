namespace Relay.DataPlane.Tun;

/// <summary>A TUN device or interface operation failed; the message names the interface, the operation and the errno.</summary>
public sealed class TunException : IOException
{
    public TunException(string message) : base(message)
    {
    }

    public TunException(string message, Exception inner) : base(message, inner)
    {
    }

    public TunException()
    {
    }
}
