using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

/// <summary>
/// The option-negotiation automaton of RFC 1661 §4, generic over the control protocol (LCP,
/// IPCP) through an <see cref="IPppNegotiator"/>. Events are methods (Up, Down, Open, Close,
/// <see cref="Tick"/> for TO+/TO-, <see cref="Receive"/> for RCR+ … RXR); the actions follow the
/// §4.1 state transition table and reach the session through <see cref="IPppFsmHost"/>. Sans
/// I/O: time comes in as arguments and <see cref="Deadline"/> says when the restart timer expires.
/// </summary>
internal sealed partial class PppFsm
{
    private const int MaxPacket = 1500;

    private readonly IPppNegotiator _negotiator;
    private readonly IPppFsmHost _host;
    private readonly PppOptions _options;
    private readonly ConfigureVerdicts _verdicts = new();
    private readonly byte[] _scratch = new byte[MaxPacket];
    private byte[] _lastRequestOptions = [];
    private byte _nextIdentifier;
    private byte _requestIdentifier;
    private bool _awaitingReply;
    private int _restartCount;
    private int _nakCount;
    private string _terminateReason = "";

    public PppFsm(ushort protocol, IPppNegotiator negotiator, IPppFsmHost host, PppOptions options, byte firstIdentifier)
    {
        Protocol = protocol;
        _negotiator = negotiator;
        _host = host;
        _options = options;
        _nextIdentifier = firstIdentifier;
    }

    public ushort Protocol { get; }

    public PppFsmState State { get; private set; } = PppFsmState.Initial;

    /// <summary>When the restart timer expires; null when it is not running.</summary>
    public TimeSpan? Deadline { get; private set; }

    /// <summary>The restart counter (§4.6): transmissions left before TO-.</summary>
    public int RestartCount => _restartCount;

    /// <summary>Configure-Requests sent, retransmissions included.</summary>
    public int ConfigureRequestsSent { get; private set; }

    /// <summary>Packets discarded as invalid: bad framing, malformed options, Identifier mismatch (§5.2).</summary>
    public int Discarded { get; private set; }

    /// <summary>Up: the lower layer is ready (§4.3).</summary>
    public void Up(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Initial:
                SetState(PppFsmState.Closed);
                break;
            case PppFsmState.Starting:
                StartNegotiation(now);
                SetState(PppFsmState.RequestSent);
                break;
        }
    }

    /// <summary>Down: the lower layer is no longer ready (§4.3).</summary>
    public void Down(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closed:
            case PppFsmState.Closing:
                SetState(PppFsmState.Initial);
                break;
            case PppFsmState.Stopped:
                SetState(PppFsmState.Starting);
                _host.ThisLayerStarted(this, now);
                break;
            case PppFsmState.Stopping:
            case PppFsmState.RequestSent:
            case PppFsmState.AckReceived:
            case PppFsmState.AckSent:
                SetState(PppFsmState.Starting);
                break;
            case PppFsmState.Opened:
                SetState(PppFsmState.Starting);
                _host.ThisLayerDown(this, now);
                break;
        }
    }

    /// <summary>Open: the administrator allows the link (§4.3).</summary>
    public void Open(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Initial:
                SetState(PppFsmState.Starting);
                _host.ThisLayerStarted(this, now);
                break;
            case PppFsmState.Closed:
                StartNegotiation(now);
                SetState(PppFsmState.RequestSent);
                break;
            case PppFsmState.Closing:
                // "5r": we do not take the restart option; Stopping finishes the termination.
                SetState(PppFsmState.Stopping);
                break;
        }
    }

    /// <summary>Close: the link is not allowed to be Opened (§4.3); <paramref name="reason"/> goes in the Terminate-Request.</summary>
    public void Close(TimeSpan now, string reason = "")
    {
        _terminateReason = reason;
        switch (State)
        {
            case PppFsmState.Starting:
                SetState(PppFsmState.Initial);
                _host.ThisLayerFinished(this, now);
                break;
            case PppFsmState.Stopped:
                SetState(PppFsmState.Closed);
                break;
            case PppFsmState.Stopping:
                SetState(PppFsmState.Closing);
                break;
            case PppFsmState.RequestSent:
            case PppFsmState.AckReceived:
            case PppFsmState.AckSent:
                SetState(PppFsmState.Closing);
                InitializeRestartCount(configure: false);
                SendTerminateRequest(now);
                break;
            case PppFsmState.Opened:
                SetState(PppFsmState.Closing);
                _host.ThisLayerDown(this, now);
                InitializeRestartCount(configure: false);
                SendTerminateRequest(now);
                break;
        }
    }

    /// <summary>Runs the restart timer: TO+ while the counter is positive, TO- once it is spent (§4.3).</summary>
    public void Tick(TimeSpan now)
    {
        if (Deadline is not { } deadline || now < deadline)
        {
            return;
        }
        Deadline = null;
        if (_restartCount > 0)
        {
            TimeoutWithCounter(now);
        }
        else
        {
            TimeoutExpired(now);
        }
    }

    private void TimeoutWithCounter(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closing:
            case PppFsmState.Stopping:
                SendTerminateRequest(now);
                break;
            case PppFsmState.RequestSent:
            case PppFsmState.AckReceived:
                SetState(PppFsmState.RequestSent);
                SendConfigureRequest(now);
                break;
            case PppFsmState.AckSent:
                SendConfigureRequest(now);
                break;
        }
    }

    private void TimeoutExpired(TimeSpan now)
    {
        switch (State)
        {
            case PppFsmState.Closing:
                SetState(PppFsmState.Closed);
                _host.ThisLayerFinished(this, now);
                break;
            case PppFsmState.Stopping:
            case PppFsmState.RequestSent:
            case PppFsmState.AckReceived:
            case PppFsmState.AckSent:
                SetState(PppFsmState.Stopped);
                _host.ThisLayerFinished(this, now);
                break;
        }
    }

    private void SetState(PppFsmState state)
    {
        State = state;
        if (state is not (PppFsmState.Closing or PppFsmState.Stopping or PppFsmState.RequestSent
            or PppFsmState.AckReceived or PppFsmState.AckSent))
        {
            Deadline = null;
        }
        if (state is not (PppFsmState.RequestSent or PppFsmState.AckReceived or PppFsmState.AckSent or PppFsmState.Opened))
        {
            _awaitingReply = false;
        }
    }

    /// <summary>irc, with a fresh negotiator, then scr: the start of a negotiation from a resting state.</summary>
    private void StartNegotiation(TimeSpan now)
    {
        _negotiator.Reset();
        InitializeRestartCount(configure: true);
        SendConfigureRequest(now);
    }

    /// <summary>irc (§4.4): Max-Configure for Configure-Request, Max-Terminate for Terminate-Request.</summary>
    private void InitializeRestartCount(bool configure)
    {
        _restartCount = configure ? _options.MaxConfigure : _options.MaxTerminate;
    }

    /// <summary>zrc (§4.4): the next timeout is TO-, after one restart period.</summary>
    private void ZeroRestartCount(TimeSpan now)
    {
        _restartCount = 0;
        Deadline = now + _options.RestartTimer;
    }
}
