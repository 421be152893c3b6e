namespace Relay.Control.L2tp.Transport;

/// <summary>
/// Serial-number arithmetic on the 16-bit Ns/Nr space (RFC 2661 §5.8): a number is "before"
/// another when it lies in the 32768 values preceding it (the RFC counts the last received number and the 32767 before it), modulo 65536.
/// </summary>
internal static class SequenceNumber
{
    /// <summary>True when <paramref name="a"/> comes strictly before <paramref name="b"/>.</summary>
    public static bool IsBefore(ushort a, ushort b) => a != b && (ushort)(b - a) <= 32768;

    /// <summary>How far <paramref name="to"/> is ahead of <paramref name="from"/> (0..65535).</summary>
    public static int Distance(ushort from, ushort to) => (ushort)(to - from);
}
