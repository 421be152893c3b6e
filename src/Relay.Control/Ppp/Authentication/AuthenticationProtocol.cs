namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// One side of one authentication protocol (RFC 1661 §3.5) as a sans-I/O engine: started when
/// LCP opens, fed the Information field of its protocol's frames, ticked for retransmission.
/// It stays alive after success to answer duplicates (RFC 1334 §2.2.1, RFC 1994 §4.2).
/// Authenticator engines ask the session's <see cref="IPppAuthenticator"/> through
/// <see cref="Judge"/>; a pending verdict parks the exchange until <see cref="Complete"/>, or
/// until the overall authentication timeout.
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

    /// <summary>How long the whole exchange may take, from <see cref="Start"/> to the verdict.</summary>
    protected TimeSpan Timeout => Options.AuthenticationTimeout ?? Options.RestartTimer * MaxTransmissions;

    /// <summary>When the whole exchange times out; set by <see cref="StartTimeout"/>.</summary>
    protected TimeSpan TimeoutAt { get; private set; }

    /// <summary>The request whose verdict the back end still owes; null when none.</summary>
    protected long? PendingRequest { get; private set; }

    /// <summary>True while a verdict is pending: the peer's repeats are not answered.</summary>
    protected bool IsPending => PendingRequest is not null;

    public abstract void Start(TimeSpan now);

    public abstract void Receive(ReadOnlySpan<byte> information, TimeSpan now);

    public abstract void Tick(TimeSpan now);

    /// <summary>
    /// Resumes an exchange parked on <paramref name="requestId"/> with the back end's verdict;
    /// false (and nothing done) when that request is not the one pending: answered already,
    /// timed out, or from an earlier exchange.
    /// </summary>
    public bool Complete(long requestId, PppAuthVerdict verdict, TimeSpan now)
    {
        if (Finished || verdict.IsPending || PendingRequest != requestId)
        {
            return false;
        }
        PendingRequest = null;
        Apply(verdict, now);
        return true;
    }

    /// <summary>Stops all timers (LCP left Opened).</summary>
    public void Stop()
    {
        Deadline = null;
        Finished = true;
    }

    /// <summary>Answers the peer and reports the result for a verdict (accepted or rejected); authenticator engines only.</summary>
    protected virtual void Apply(PppAuthVerdict verdict, TimeSpan now)
    {
    }

    protected void StartTimeout(TimeSpan now) => TimeoutAt = now + Timeout;

    /// <summary>
    /// Asks the session's authenticator about <paramref name="request"/>: the verdict when it has
    /// one, null when it is pending (the exchange is parked; only the overall timeout runs).
    /// </summary>
    protected PppAuthVerdict? Judge(PppAuthRequest request, TimeSpan now)
    {
        var verdict = Host.Authenticate(request, now);
        if (!verdict.IsPending)
        {
            return verdict;
        }
        PendingRequest = request.Id;
        Deadline = TimeoutAt;
        return null;
    }

    /// <summary>
    /// While a verdict is pending: true (the caller's timers do nothing), and at the overall
    /// timeout the exchange is rejected as if the back end had said so.
    /// </summary>
    protected bool TickPending(TimeSpan now)
    {
        if (PendingRequest is null)
        {
            return false;
        }
        if (now >= TimeoutAt)
        {
            PendingRequest = null;
            Apply(PppAuthVerdict.Reject($"no verdict from the authenticator within {Timeout.TotalSeconds:0.###} s"), now);
        }
        return true;
    }

    protected void Succeed(string user, PppAuthVerdict? verdict, TimeSpan now)
    {
        Finished = true;
        Deadline = null;
        Host.AuthenticationSucceeded(user, verdict, now);
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
