namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// One side of one authentication protocol (RFC 1661 §3.5) as a sans-I/O engine: started when
/// LCP opens, fed the Information field of its protocol's frames, ticked for retransmission.
/// It stays alive after success to answer duplicates (RFC 1334 §2.2.1, RFC 1994 §4.2).
/// </summary>
internal abstract class AuthenticationProtocol
{
    protected AuthenticationProtocol(PppOptions options, IAuthenticationHost host)
    {
        Options = options;
        Host = host;
    }

    /// <summary>PPP Protocol field value of the packets this engine takes.</summary>
    public abstract ushort Protocol { get; }

    public abstract PppAuthMethod Method { get; }

    /// <summary>When <see cref="Tick"/> must run; null when nothing is pending.</summary>
    public TimeSpan? Deadline { get; protected set; }

    /// <summary>True once a result was reported.</summary>
    public bool Finished { get; protected set; }

    protected PppOptions Options { get; }

    protected IAuthenticationHost Host { get; }

    /// <summary>Transmissions after which an unanswered exchange fails (Max-Configure, §4.6).</summary>
    protected int MaxTransmissions => Math.Max(1, Options.MaxConfigure);

    public abstract void Start(TimeSpan now);

    public abstract void Receive(ReadOnlySpan<byte> information, TimeSpan now);

    public abstract void Tick(TimeSpan now);

    /// <summary>Stops all timers (LCP left Opened).</summary>
    public void Stop()
    {
        Deadline = null;
        Finished = true;
    }

    protected void Succeed(string user, PppCredential? credential, TimeSpan now)
    {
        Finished = true;
        Deadline = null;
        Host.AuthenticationSucceeded(user, credential, now);
    }

    protected void Fail(string user, string reason, TimeSpan now)
    {
        Finished = true;
        Deadline = null;
        Host.AuthenticationFailed(user, reason, now);
    }

    protected byte RandomByte()
    {
        Span<byte> b = stackalloc byte[1];
        Host.FillRandom(b);
        return b[0];
    }
}
