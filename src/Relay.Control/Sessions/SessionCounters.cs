namespace Relay.Control.Sessions;

/// <summary>Session-level outcomes, for metrics and the shutdown summary. Control loop only.</summary>
public sealed class SessionCounters
{
    public long Ready { get; internal set; }

    public long AuthenticationFailures { get; internal set; }

    /// <summary>PPP authentication failures indexed by <see cref="Ppp.PppAuthMethod"/>; the last slot counts failures before a method was agreed.</summary>
    public long[] AuthenticationFailuresByMethod { get; } = new long[Enum.GetValues<Ppp.PppAuthMethod>().Length + 1];

    public long AddressRefused { get; internal set; }

    public long TunnelsClosedForAuthFailures { get; internal set; }

    public long EchoTimeouts { get; internal set; }

    public long MalformedData { get; internal set; }

    public long DataForUnknownSession { get; internal set; }
}
