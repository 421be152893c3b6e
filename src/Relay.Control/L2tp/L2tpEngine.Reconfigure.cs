namespace Relay.Control.L2tp;

public sealed partial class L2tpEngine
{
    private long _retransmissionsOfRemoved;

    /// <summary>Control messages sent again after their retransmission timer ran out (§5.8), over the engine's life.</summary>
    public long Retransmissions
    {
        get
        {
            var sum = _retransmissionsOfRemoved;
            foreach (var tunnel in _tunnels.Values)
            {
                sum += tunnel.Channel.Retransmissions;
            }
            return sum;
        }
    }

    /// <summary>
    /// Takes new options at reload without touching established tunnels: secrets, host name,
    /// hiding, limits, the SCCRQ rate and the HELLO interval apply to what happens from now on.
    /// A tunnel keeps the secret it authenticated with and its control channel's reliability
    /// settings (its window was agreed in the handshake, RFC 2661 §5.8). The role cannot change.
    /// </summary>
    public void Reconfigure(L2tpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Role != _options.Role)
        {
            throw new ArgumentException($"the role cannot change on reconfiguration ({_options.Role} to {options.Role})", nameof(options));
        }
        var rateChanged = options.SccrqPerSecondPerSource != _options.SccrqPerSecondPerSource;
        _options = options;
        _encoder = new ControlMessageEncoder(options, FillRandom);
        if (rateChanged)
        {
            _rateLimiter = new SccrqRateLimiter(options.SccrqPerSecondPerSource);
        }
    }
}
