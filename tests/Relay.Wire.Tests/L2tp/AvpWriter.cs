using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

/// <summary>Writes the AVPs after the Message Type in a test message (the writer is a ref struct, hence ref).</summary>
internal delegate void AvpWriter(ref L2tpControlMessageWriter writer);
