using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;

namespace Relay.Control.Tests.Ppp;

/// <summary>
/// A fake asynchronous back end (RADIUS-like): every request is judged by a secrets file but
/// answered only <see cref="Delay"/> later (never when null), through
/// <see cref="PppSession.CompleteAuthentication"/>. Hook it into a <see cref="PppPair"/> with
/// <see cref="Attach"/>.
/// </summary>
internal sealed class SlowAuthenticator(ICredentialStore secrets, TimeSpan? delay) : IPppAuthenticator
{
    private readonly SecretsAuthenticator _judge = new(secrets);
    private readonly List<(long Id, PppAuthVerdict Verdict, TimeSpan Due)> _owed = [];
    private Func<TimeSpan> _clock = static () => TimeSpan.Zero;

    public TimeSpan? Delay { get; } = delay;

    public List<PppAuthRequest> Requests { get; } = [];

    /// <summary>Each verdict handed back, and whether the session took it.</summary>
    public List<(long Id, PppAuthVerdict Verdict, bool Taken)> Delivered { get; } = [];

    /// <summary>Where verdicts go; set by <see cref="Attach"/>.</summary>
    public PppSession? Session { get; set; }

    public PppAuthVerdict Authenticate(PppAuthRequest request)
    {
        Requests.Add(request);
        if (Delay is { } d)
        {
            _owed.Add((request.Id, _judge.Authenticate(request), _clock() + d));
        }
        return PppAuthVerdict.Pending;
    }

    public void Attach(PppPair pair)
    {
        _clock = () => pair.Now;
        Session = pair.Server;
        pair.ExternalDeadline = () => _owed.Count == 0 ? null : _owed.Min(o => o.Due);
        pair.External = Deliver;
    }

    /// <summary>Hands back every verdict due at <paramref name="now"/>.</summary>
    public void Deliver(TimeSpan now)
    {
        foreach (var owed in _owed.Where(o => o.Due <= now).ToList())
        {
            _owed.Remove(owed);
            Delivered.Add((owed.Id, owed.Verdict, Session!.CompleteAuthentication(owed.Id, owed.Verdict, now)));
        }
    }
}
