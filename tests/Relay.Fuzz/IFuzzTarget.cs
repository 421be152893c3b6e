namespace Relay.Fuzz;

/// <summary>
/// One parser under fuzz. <see cref="Run"/> feeds it one input; the parser must not throw on any
/// input, and a target checks the invariants that must hold for inputs the parser accepts
/// (for example: what parses, re-serialises to something that parses the same). A broken
/// invariant is reported by throwing <see cref="FuzzInvariantException"/>.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>Short name used on the command line: l2tp, ppp, stun, ...</summary>
    string Name { get; }

    /// <summary>Valid inputs the mutator starts from.</summary>
    IEnumerable<byte[]> Seeds();

    void Run(ReadOnlySpan<byte> input);
}
