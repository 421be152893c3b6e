namespace Relay.LoadGen.Rig;

/// <summary>What a scenario changes in relayd's config (docs/configuration.md); the rest is fixed by <see cref="RelaydProcess"/>.</summary>
/// <param name="FastPath">dataplane.fastPath: off, xdp, xdp-generic or tc (on the relay namespace's eth0, required: relayd exits if it cannot attach).</param>
internal sealed record RelaydSettings(int HelloIntervalSeconds = 60, int EchoIntervalSeconds = 30, int Workers = 1, string FastPath = "off");
