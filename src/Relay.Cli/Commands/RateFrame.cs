namespace Relay.Cli.Commands;

/// <summary>One <c>watch --json</c> line: when, over how long, and the per-second rate of every counter that moved.</summary>
internal sealed record RateFrame(DateTime At, double Seconds, SortedDictionary<string, double> Rates);
