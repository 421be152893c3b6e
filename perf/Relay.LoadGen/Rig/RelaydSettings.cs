namespace Relay.LoadGen.Rig;

/// <summary>What a scenario changes in relayd's config (docs/configuration.md); the rest is fixed by <see cref="RelaydProcess"/>.</summary>
internal sealed record RelaydSettings(int HelloIntervalSeconds = 60, int EchoIntervalSeconds = 30, int Workers = 1);
