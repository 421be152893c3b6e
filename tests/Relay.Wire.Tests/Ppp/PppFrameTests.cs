using CsCheck;
using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

public sealed class PppFrameTests
{
    [Fact]
    public void Reads_address_control_and_a_two_octet_protocol()
    {
        byte[] frame = [0xFF, 0x03, 0xC0, 0x21, 0x01, 0x02];

        Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(frame, out var f));

        Assert.True(f.HasAddressControl);
        Assert.False(f.IsProtocolCompressed);
        Assert.Equal(PppProtocol.Lcp, f.Protocol);
        Assert.Equal(4, f.HeaderLength);
        Assert.Equal([0x01, 0x02], f.Information.ToArray());
    }

    [Fact]
    public void Accepts_a_frame_without_address_and_control()
    {
        // ACFC (RFC 1661 §6.6): the frame starts directly with the Protocol field.
        byte[] frame = [0x80, 0x21, 0x09];

        Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(frame, out var f));

        Assert.False(f.HasAddressControl);
        Assert.Equal(PppProtocol.Ipcp, f.Protocol);
        Assert.Equal([0x09], f.Information.ToArray());
    }

    [Fact]
    public void Reads_a_compressed_protocol_field_from_its_odd_first_octet()
    {
        // PFC (RFC 1661 §6.5): an odd first octet is the whole Protocol field.
        byte[] frame = [0xFF, 0x03, 0x21, 0x45];

        Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(frame, out var f));

        Assert.True(f.IsProtocolCompressed);
        Assert.Equal(PppProtocol.Ipv4, f.Protocol);
        Assert.Equal([0x45], f.Information.ToArray());
    }

    [Theory]
    [InlineData(new byte[0], PppFrameStatus.Truncated)]
    [InlineData(new byte[] { 0xFF }, PppFrameStatus.Truncated)]
    [InlineData(new byte[] { 0xFF, 0x03 }, PppFrameStatus.Truncated)]
    [InlineData(new byte[] { 0xFF, 0x03, 0xC0 }, PppFrameStatus.Truncated)]
    [InlineData(new byte[] { 0xC0 }, PppFrameStatus.Truncated)]
    [InlineData(new byte[] { 0xFF, 0x05, 0xC0, 0x21 }, PppFrameStatus.BadControl)]
    [InlineData(new byte[] { 0xFF, 0x03, 0xC0, 0x20 }, PppFrameStatus.BadProtocol)]
    [InlineData(new byte[] { 0x00, 0x00 }, PppFrameStatus.BadProtocol)]
    public void Reports_why_a_frame_header_is_unusable(byte[] frame, PppFrameStatus expected)
        => Assert.Equal(expected, PppFrame.Parse(frame, out _));

    [Fact]
    public void Writes_the_protocol_in_full_when_it_cannot_be_compressed()
    {
        // RFC 1661 §6.5: only values below 0x100 compress.
        var buffer = new byte[8];

        Assert.Equal(4, PppFrame.WriteHeader(buffer, PppProtocol.Lcp, addressControl: true, compressProtocol: true));
        Assert.Equal([0xFF, 0x03, 0xC0, 0x21], buffer[..4]);
        Assert.Equal(1, PppFrame.WriteHeader(buffer, PppProtocol.Ipv4, addressControl: false, compressProtocol: true));
        Assert.Equal(0x21, buffer[0]);
    }

    [Fact]
    public void Writing_into_a_span_too_small_writes_nothing()
    {
        Assert.Equal(0, PppFrame.WriteHeader(new byte[3], PppProtocol.Lcp));
        Assert.Equal(0, PppFrame.Write(new byte[5], PppProtocol.Lcp, [1, 2]));
    }

    [Fact]
    public void Every_frame_written_parses_back_to_the_same_protocol_and_information()
    {
        var protocols = Gen.UShort.Select(p => (ushort)((p & 0xFEFF) | 0x0001));
        Gen.Select(protocols, Gen.Byte.Array[0, 40], Gen.Bool, Gen.Bool).Sample(t =>
        {
            var (protocol, info, ac, pfc) = t;
            var buffer = new byte[info.Length + 4];
            var n = PppFrame.Write(buffer, protocol, info, ac, pfc);
            Assert.NotEqual(0, n);

            Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(buffer.AsSpan(0, n), out var f));
            Assert.Equal(protocol, f.Protocol);
            Assert.Equal(ac, f.HasAddressControl);
            Assert.Equal(pfc && protocol < 0x100, f.IsProtocolCompressed);
            Assert.Equal(info, f.Information.ToArray());
        });
    }

    [Fact]
    public void Classifies_protocols_by_their_range()
    {
        // RFC 1661 §2: 0x0*** network layer, 0x8*** NCPs, 0xC*** link control.
        Assert.True(PppProtocol.IsNetworkLayer(PppProtocol.Ipv4));
        Assert.True(PppProtocol.IsNetworkLayer(PppProtocol.Ipv6));
        Assert.True(PppProtocol.IsNetworkLayer(PppProtocol.CompressedDatagram));
        Assert.False(PppProtocol.IsControl(PppProtocol.Ipv4));
        Assert.True(PppProtocol.IsControl(PppProtocol.Lcp));
        Assert.True(PppProtocol.IsControl(PppProtocol.Chap));
        Assert.True(PppProtocol.IsNetworkControl(PppProtocol.Ipcp));
        Assert.True(PppProtocol.IsNetworkControl(PppProtocol.Ccp));
        Assert.False(PppProtocol.IsNetworkControl(PppProtocol.Pap));
        Assert.False(PppProtocol.IsNetworkLayer(PppProtocol.Ipv6cp));
        Assert.True(PppProtocol.IsValid(PppProtocol.Chap));
        Assert.False(PppProtocol.IsValid(0x0100));
    }
}
