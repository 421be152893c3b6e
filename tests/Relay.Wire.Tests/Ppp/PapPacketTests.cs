using CsCheck;
using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

public sealed class PapPacketTests
{
    [Fact]
    public void Reads_peer_id_and_password_of_an_authenticate_request()
    {
        // RFC 1334 §2.2.1.
        byte[] packet = [0x01, 0x05, 0x00, 0x0B, 0x03, (byte)'b', (byte)'o', (byte)'b', 0x02, (byte)'p', (byte)'w'];

        Assert.Equal(PapStatus.Ok, PapPacket.Parse(packet, out var p));

        Assert.Equal(PapCode.AuthenticateRequest, p.Code);
        Assert.Equal(5, p.Identifier);
        Assert.Equal("bob"u8.ToArray(), p.PeerId.ToArray());
        Assert.Equal("pw"u8.ToArray(), p.Password.ToArray());
    }

    [Fact]
    public void Reads_the_message_of_ack_and_nak()
    {
        // RFC 1334 §2.2.2.
        byte[] packet = [0x03, 0x05, 0x00, 0x07, 0x02, (byte)'n', (byte)'o', 0x00];

        Assert.Equal(PapStatus.Ok, PapPacket.Parse(packet, out var p));

        Assert.Equal(PapCode.AuthenticateNak, p.Code);
        Assert.Equal("no"u8.ToArray(), p.Message.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x01, 0x00 }, PapStatus.Truncated)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x03 }, PapStatus.BadLength)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x08, 0x00, 0x00 }, PapStatus.LengthBeyondData)]
    [InlineData(new byte[] { 0x04, 0x01, 0x00, 0x04 }, PapStatus.UnknownCode)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x04 }, PapStatus.PeerIdBeyondPacket)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x06, 0x02, 0x41 }, PapStatus.PeerIdBeyondPacket)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x06, 0x01, 0x41 }, PapStatus.PasswordBeyondPacket)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x07, 0x01, 0x41, 0x01 }, PapStatus.PasswordBeyondPacket)]
    [InlineData(new byte[] { 0x02, 0x01, 0x00, 0x04 }, PapStatus.MessageBeyondPacket)]
    [InlineData(new byte[] { 0x03, 0x01, 0x00, 0x06, 0x02, 0x41, 0x42 }, PapStatus.MessageBeyondPacket)]
    public void Reports_why_a_pap_packet_is_unusable(byte[] packet, PapStatus expected)
        => Assert.Equal(expected, PapPacket.Parse(packet, out _));

    [Fact]
    public void Truncation_at_every_octet_is_reported()
    {
        var buffer = new byte[64];
        var n = PapPacket.WriteRequest(buffer, 1, "alice"u8, "secret"u8);

        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i < 4 ? PapStatus.Truncated : PapStatus.LengthBeyondData, PapPacket.Parse(buffer.AsSpan(0, i), out _));
        }
    }

    [Fact]
    public void Writers_refuse_what_they_cannot_encode()
    {
        var buffer = new byte[600];

        Assert.Equal(0, PapPacket.WriteRequest(buffer, 1, new byte[256], []));
        Assert.Equal(0, PapPacket.WriteRequest(buffer, 1, [], new byte[256]));
        Assert.Equal(0, PapPacket.WriteResult(buffer, PapCode.AuthenticateRequest, 1, []));
        Assert.Equal(0, PapPacket.WriteResult(buffer, PapCode.AuthenticateAck, 1, new byte[256]));
        Assert.Equal(0, PapPacket.WriteRequest(new byte[7], 1, "ab"u8, []));
    }

    [Fact]
    public void Every_request_written_parses_back_the_same()
        => Gen.Select(Gen.Byte, Gen.Byte.Array[0, 255], Gen.Byte.Array[0, 255], Gen.Byte.Array[0, 4]).Sample(t =>
        {
            var (identifier, peerId, password, padding) = t;
            var buffer = new byte[600];
            var n = PapPacket.WriteRequest(buffer, identifier, peerId, password);
            Assert.Equal(6 + peerId.Length + password.Length, n);
            padding.CopyTo(buffer, n);

            Assert.Equal(PapStatus.Ok, PapPacket.Parse(buffer.AsSpan(0, n + padding.Length), out var p));
            Assert.Equal(PapCode.AuthenticateRequest, p.Code);
            Assert.Equal(identifier, p.Identifier);
            Assert.Equal(peerId, p.PeerId.ToArray());
            Assert.Equal(password, p.Password.ToArray());
        });

    [Fact]
    public void Every_ack_and_nak_written_parses_back_the_same()
        => Gen.Select(Gen.OneOfConst(PapCode.AuthenticateAck, PapCode.AuthenticateNak), Gen.Byte, Gen.Byte.Array[0, 255]).Sample(t =>
        {
            var (code, identifier, message) = t;
            var buffer = new byte[300];
            var n = PapPacket.WriteResult(buffer, code, identifier, message);

            Assert.Equal(PapStatus.Ok, PapPacket.Parse(buffer.AsSpan(0, n), out var p));
            Assert.Equal(code, p.Code);
            Assert.Equal(identifier, p.Identifier);
            Assert.Equal(message, p.Message.ToArray());
        });

    [Fact]
    public void Never_throws_on_random_octets()
        => Gen.Byte.Array[0, 40].Sample(bytes => PapPacket.Parse(bytes, out _));
}
