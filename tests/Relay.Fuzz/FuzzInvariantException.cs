namespace Relay.Fuzz;

/// <summary>Thrown by a fuzz target when an accepted input breaks an invariant.</summary>
internal sealed class FuzzInvariantException(string message) : Exception(message);
