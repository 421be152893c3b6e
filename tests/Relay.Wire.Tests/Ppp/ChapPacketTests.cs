using CsCheck;
using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

public sealed class ChapPacketTests
{
    [Fact]
    public void Reads_value_and_name_of_a_challenge()
    {
        // RFC 1994 §4.1: Code, Identifier, Length, Value-Size, Value, Name.
        byte[] packet = [0x01, 0x2A, 0x00, 0x0B, 0x03, 0xAA, 0xBB, 0xCC, (byte)'l', (byte)'n', (byte)'s', 0xEE];

        Assert.Equal(ChapStatus.Ok, ChapPacket.Parse(packet, out var p));

        Assert.Equal(ChapCode.Challenge, p.Code);
        Assert.Equal(0x2A, p.Identifier);
        Assert.Equal([0xAA, 0xBB, 0xCC], p.Value.ToArray());
        Assert.Equal("lns"u8.ToArray(), p.Name.ToArray());
        Assert.True(p.Message.IsEmpty);
    }

    [Fact]
    public void Reads_the_message_of_success_and_failure()
    {
        // RFC 1994 §4.2.
        byte[] packet = [0x04, 0x01, 0x00, 0x07, (byte)'n', (byte)'o', (byte)'!'];

        Assert.Equal(ChapStatus.Ok, ChapPacket.Parse(packet, out var p));

        Assert.Equal(ChapCode.Failure, p.Code);
        Assert.Equal("no!"u8.ToArray(), p.Message.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x01, 0x00 }, ChapStatus.Truncated)]
    [InlineData(new byte[] { 0x03, 0x01, 0x00, 0x02 }, ChapStatus.BadLength)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x04 }, ChapStatus.BadLength)]
    [InlineData(new byte[] { 0x02, 0x01, 0x00, 0x09, 0x01 }, ChapStatus.LengthBeyondData)]
    [InlineData(new byte[] { 0x05, 0x01, 0x00, 0x04 }, ChapStatus.UnknownCode)]
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x04 }, ChapStatus.UnknownCode)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x06, 0x00, 0x41 }, ChapStatus.EmptyValue)]
    [InlineData(new byte[] { 0x02, 0x01, 0x00, 0x07, 0x03, 0x01, 0x02, 0x03 }, ChapStatus.ValueBeyondPacket)]
    public void Reports_why_a_chap_packet_is_unusable(byte[] packet, ChapStatus expected)
        => Assert.Equal(expected, ChapPacket.Parse(packet, out _));

    [Fact]
    public void Truncation_at_every_octet_is_reported()
    {
        var buffer = new byte[64];
        var n = ChapPacket.WriteChallenge(buffer, ChapCode.Response, 9, new byte[16], "client"u8);

        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i < 4 ? ChapStatus.Truncated : ChapStatus.LengthBeyondData, ChapPacket.Parse(buffer.AsSpan(0, i), out _));
        }
    }

    [Fact]
    public void Writers_refuse_what_they_cannot_encode()
    {
        var buffer = new byte[600];

        Assert.Equal(0, ChapPacket.WriteChallenge(buffer, ChapCode.Challenge, 1, [], "x"u8));
        Assert.Equal(0, ChapPacket.WriteChallenge(buffer, ChapCode.Challenge, 1, new byte[256], "x"u8));
        Assert.Equal(0, ChapPacket.WriteChallenge(buffer, ChapCode.Success, 1, [1], "x"u8));
        Assert.Equal(0, ChapPacket.WriteResult(buffer, ChapCode.Response, 1, "x"u8));
        Assert.Equal(0, ChapPacket.WriteChallenge(new byte[6], ChapCode.Challenge, 1, [1, 2], []));
        Assert.Equal(0, ChapPacket.WriteResult(new byte[4], ChapCode.Success, 1, "x"u8));
    }

    [Fact]
    public void Every_challenge_and_response_written_parses_back_the_same()
    {
        var codes = Gen.OneOfConst(ChapCode.Challenge, ChapCode.Response);
        Gen.Select(codes, Gen.Byte, Gen.Byte.Array[1, 255], Gen.Byte.Array[0, 64], Gen.Byte.Array[0, 4]).Sample(t =>
        {
            var (code, identifier, value, name, padding) = t;
            var buffer = new byte[400];
            var n = ChapPacket.WriteChallenge(buffer, code, identifier, value, name);
            Assert.Equal(5 + value.Length + name.Length, n);
            padding.CopyTo(buffer, n);

            Assert.Equal(ChapStatus.Ok, ChapPacket.Parse(buffer.AsSpan(0, n + padding.Length), out var p));
            Assert.Equal(code, p.Code);
            Assert.Equal(identifier, p.Identifier);
            Assert.Equal(value, p.Value.ToArray());
            Assert.Equal(name, p.Name.ToArray());
        });
    }

    [Fact]
    public void Every_success_and_failure_written_parses_back_the_same()
    {
        var codes = Gen.OneOfConst(ChapCode.Success, ChapCode.Failure);
        Gen.Select(codes, Gen.Byte, Gen.Byte.Array[0, 80]).Sample(t =>
        {
            var (code, identifier, message) = t;
            var buffer = new byte[100];
            var n = ChapPacket.WriteResult(buffer, code, identifier, message);

            Assert.Equal(ChapStatus.Ok, ChapPacket.Parse(buffer.AsSpan(0, n), out var p));
            Assert.Equal(code, p.Code);
            Assert.Equal(identifier, p.Identifier);
            Assert.Equal(message, p.Message.ToArray());
        });
    }

    [Fact]
    public void Never_throws_on_random_octets()
        => Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            if (ChapPacket.Parse(bytes, out var p) == ChapStatus.Ok)
            {
                Assert.True(p.Value.Length + p.Name.Length + p.Message.Length <= p.Packet.Length);
            }
        });
}
