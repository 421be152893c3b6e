namespace Relay.LoadGen.Results;

/// <summary>What one invocation writes to perf/results/: when, where, which commit, and every scenario.</summary>
internal sealed record RunReport(string Timestamp, MachineInfo Machine, string Commit, string Suite, IReadOnlyList<ScenarioResult> Results);
