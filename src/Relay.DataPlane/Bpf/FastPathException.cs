namespace Relay.DataPlane.Bpf;

/// <summary>The fast path cannot start or a map operation failed; the message says which step and why.</summary>
public sealed class FastPathException : Exception
{
    public FastPathException()
    {
    }

    public FastPathException(string message) : base(message)
    {
    }

    public FastPathException(string message, Exception inner) : base(message, inner)
    {
    }
}
