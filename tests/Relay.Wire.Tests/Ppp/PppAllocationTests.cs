using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

/// <summary>Relay.Wire sits on the packet path: parsing and writing must not allocate.</summary>
public sealed class PppAllocationTests
{
    [Fact]
    public void Parsing_and_writing_ppp_packets_allocates_nothing()
    {
        var buffer = new byte[512];
        var scratch = new byte[512];
        Assert.False(Exercise(buffer, scratch));

        var failed = false;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            failed |= Exercise(buffer, scratch);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(failed);
        Assert.Equal(0, allocated);
    }

    private static bool Exercise(byte[] buffer, byte[] scratch)
    {
        var bad = false;
        var header = PppFrame.WriteHeader(buffer, PppProtocol.Lcp);
        var w = new PppControlWriter(buffer.AsSpan(header), PppCode.ConfigureRequest, 1);
        w.WriteUInt16Option(LcpOption.Mru, 1400);
        w.WriteUInt32Option(LcpOption.MagicNumber, 0x01020304);
        w.WriteAuthenticationOption(PppProtocol.Chap, ChapAlgorithm.Md5);
        w.WriteProtocolOption(LcpOption.QualityProtocol, PppProtocol.LinkQualityReport, [0, 0, 1, 0]);
        w.WriteFlagOption(LcpOption.ProtocolFieldCompression);
        var n = header + w.Finish();

        bad |= PppFrame.Parse(buffer.AsSpan(0, n), out var frame) != PppFrameStatus.Ok;
        bad |= PppControlPacket.Parse(frame.Information, frame.Protocol, out var packet) != PppControlStatus.Ok;
        foreach (var option in packet.Options)
        {
            option.ReadUInt16(out _);
            option.ReadUInt32(out _);
            option.ReadAuthentication(out _, out _);
        }

        var c = ChapPacket.WriteChallenge(scratch, ChapCode.Challenge, 2, buffer.AsSpan(0, 16), "relay"u8);
        bad |= ChapPacket.Parse(scratch.AsSpan(0, c), out _) != ChapStatus.Ok;
        var p = PapPacket.WriteRequest(scratch, 3, "bob"u8, "pw"u8);
        bad |= PapPacket.Parse(scratch.AsSpan(0, p), out _) != PapStatus.Ok;
        return bad;
    }
}
