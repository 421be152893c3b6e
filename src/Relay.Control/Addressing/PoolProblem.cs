namespace Relay.Control.Addressing;

/// <summary>
/// One semantic problem in the pool definitions: the config path (<c>pools[1].range</c>), the
/// pool's name, and what is wrong, e.g. <c>pools[1].range "b": overlaps pools[0] "a"</c>.
/// </summary>
public sealed record PoolProblem(string Path, string Pool, string Message)
{
    public override string ToString() => $"{Path} \"{Pool}\": {Message}";
}
