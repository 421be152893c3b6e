namespace Relay.Wire.L2tp;

/// <summary>Call Errors AVP counters (RFC 2661 §4.4.6), cumulative since the call was established.</summary>
public readonly record struct L2tpCallErrors(
    uint CrcErrors,
    uint FramingErrors,
    uint HardwareOverruns,
    uint BufferOverruns,
    uint TimeoutErrors,
    uint AlignmentErrors);
