namespace Relay.LoadGen.Traffic;

/// <summary>One session pair's datagram template (see <see cref="PacketLayout"/>), sent as is with a fresh probe each time.</summary>
internal sealed class Flow(int index, byte[] template, int length, int probeOffset)
{
    public int Index { get; } = index;

    public byte[] Template { get; } = template;

    public int Length { get; } = length;

    public int ProbeOffset { get; } = probeOffset;
}
