namespace Relay.Hosting;

/// <summary>One configuration problem: the JSON path of the offending key and what is wrong.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
