namespace Relay.LoadGen.Scenarios;

internal enum ScenarioKind
{
    /// <summary>ESP between session pairs through relayd, then through the C baseline.</summary>
    Forwarding,

    /// <summary>Ramp to N tunnels with a bounded number in setup at once, then hold them.</summary>
    SessionScale,

    /// <summary>N clients dial at the same moment.</summary>
    SetupStorm,
}
