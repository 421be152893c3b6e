namespace Relay.Topology;

/// <summary>Outcome of a finished command.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"`{Command}` exited {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
