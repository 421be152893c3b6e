using System.Buffers.Binary;
using CsCheck;
using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

public sealed class PppControlPacketTests
{
    private static readonly Gen<(byte Type, byte[] Value)> OptionGen = Gen.Select(Gen.Byte, Gen.Byte.Array[0, 24]);

    [Fact]
    public void Reads_code_identifier_and_options_of_a_configure_request()
    {
        byte[] packet = [0x01, 0x07, 0x00, 0x0A, 0x01, 0x04, 0x05, 0xDC, 0x07, 0x02];

        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(packet, PppProtocol.Lcp, out var p));

        Assert.Equal(PppCode.ConfigureRequest, p.Code);
        Assert.Equal(7, p.Identifier);
        Assert.Equal(10, p.Length);
        Assert.True(p.HasOptions);
        var options = p.Options;
        Assert.True(options.MoveNext());
        Assert.Equal(LcpOption.Mru, options.Current.Type);
        Assert.Equal(PppOptionStatus.Ok, options.Current.ReadUInt16(out var mru));
        Assert.Equal(1500, mru);
        Assert.True(options.MoveNext());
        Assert.True(options.Current.IsFlag);
        Assert.False(options.MoveNext());
        Assert.Equal(PppOptionStatus.Ok, options.Status);
    }

    [Fact]
    public void Ignores_octets_beyond_length_as_padding()
    {
        // RFC 1661 §5: octets outside the Length field are padding and are ignored.
        byte[] packet = [0x05, 0x01, 0x00, 0x05, 0xAA, 0xBB, 0xCC];

        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(packet, PppProtocol.Lcp, out var p));

        Assert.Equal([0xAA], p.Data.ToArray());
        Assert.Equal(5, p.Packet.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x01, 0x00 }, PppControlStatus.Truncated)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x03 }, PppControlStatus.BadLength)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x00 }, PppControlStatus.BadLength)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x06, 0x01 }, PppControlStatus.LengthBeyondData)]
    public void Reports_why_a_control_packet_is_unusable(byte[] packet, PppControlStatus expected)
        => Assert.Equal(expected, PppControlPacket.Parse(packet, PppProtocol.Lcp, out _));

    [Theory]
    // RFC 1661 §5: LCP Codes 1–11; RFC 1332 §2: IPCP 1–7; RFC 1962 §2: CCP adds 14 and 15.
    [InlineData(PppProtocol.Lcp, 11, true)]
    [InlineData(PppProtocol.Lcp, 12, false)]
    [InlineData(PppProtocol.Lcp, 0, false)]
    [InlineData(PppProtocol.Lcp, 14, false)]
    [InlineData(PppProtocol.Ipcp, 7, true)]
    [InlineData(PppProtocol.Ipcp, 8, false)]
    [InlineData(PppProtocol.Ipcp, 9, false)]
    [InlineData(PppProtocol.Ccp, 14, true)]
    [InlineData(PppProtocol.Ccp, 15, true)]
    [InlineData(PppProtocol.Ccp, 9, false)]
    [InlineData(PppProtocol.Ccp, 16, false)]
    public void Knows_which_codes_each_control_protocol_defines(ushort protocol, byte code, bool known)
    {
        byte[] packet = [code, 0x01, 0x00, 0x04];

        var status = PppControlPacket.Parse(packet, protocol, out var p);

        Assert.Equal(known ? PppControlStatus.Ok : PppControlStatus.UnknownCode, status);
        Assert.Equal(4, p.Length);
    }

    [Fact]
    public void Keeps_a_packet_with_an_unknown_code_available_for_code_reject()
    {
        // RFC 1661 §5.6: the receiver answers an unknown Code with Code-Reject carrying the packet.
        byte[] packet = [0x20, 0x09, 0x00, 0x06, 0x11, 0x22];

        Assert.Equal(PppControlStatus.UnknownCode, PppControlPacket.Parse(packet, PppProtocol.Lcp, out var p));

        var buffer = new byte[32];
        var writer = new PppControlWriter(buffer, PppCode.CodeReject, 0x10);
        writer.WriteData(p.Packet);
        var n = writer.Finish();
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(buffer.AsSpan(0, n), PppProtocol.Lcp, out var reject));
        Assert.Equal(PppCode.CodeReject, reject.Code);
        Assert.Equal(packet, reject.Data.ToArray());
    }

    [Fact]
    public void Reads_the_rejected_protocol_and_information_of_a_protocol_reject()
    {
        // RFC 1661 §5.7.
        byte[] packet = [0x08, 0x02, 0x00, 0x09, 0x80, 0x57, 0x01, 0x01, 0x00];

        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(packet, PppProtocol.Lcp, out var p));
        Assert.Equal(PppControlStatus.Ok, p.ReadProtocolReject(out var rejected, out var info));

        Assert.Equal(PppProtocol.Ipv6cp, rejected);
        Assert.Equal([0x01, 0x01, 0x00], info.ToArray());
    }

    [Fact]
    public void Reads_magic_number_and_data_of_echo_and_discard()
    {
        // RFC 1661 §5.8.
        foreach (var code in new[] { PppCode.EchoRequest, PppCode.EchoReply, PppCode.DiscardRequest })
        {
            byte[] packet = [(byte)code, 0x03, 0x00, 0x0A, 0x12, 0x34, 0x56, 0x78, 0xAB, 0xCD];
            Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(packet, PppProtocol.Lcp, out var p));
            Assert.Equal(PppControlStatus.Ok, p.ReadMagic(out var magic, out var data));
            Assert.Equal(0x12345678u, magic);
            Assert.Equal([0xAB, 0xCD], data.ToArray());
        }
    }

    [Fact]
    public void Reads_the_rejected_code_of_a_code_reject()
    {
        // RFC 1661 §5.6: the Rejected-Packet starts with the rejected packet's own header.
        byte[] packet = [0x07, 0x02, 0x00, 0x0A, 0x20, 0x09, 0x00, 0x06, 0x11, 0x22];

        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(packet, PppProtocol.Lcp, out var p));
        Assert.Equal(PppControlStatus.Ok, p.ReadCodeReject(out var code, out var rejected));

        Assert.Equal((PppCode)0x20, code);
        Assert.Equal(packet[4..], rejected.ToArray());
    }

    [Fact]
    public void Reads_the_data_of_terminate_request_and_ack()
    {
        // RFC 1661 §5.5.
        byte[] request = [0x05, 0x01, 0x00, 0x07, (byte)'b', (byte)'y', (byte)'e'];
        byte[] ack = [0x06, 0x01, 0x00, 0x04];
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(request, PppProtocol.Ipcp, out var r));
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(ack, PppProtocol.Ipcp, out var a));

        Assert.Equal(PppControlStatus.Ok, r.ReadTerminate(out var reason));
        Assert.Equal("bye"u8.ToArray(), reason.ToArray());
        Assert.Equal(PppControlStatus.Ok, a.ReadTerminate(out var none));
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public void Payload_readers_refuse_codes_that_do_not_carry_their_fields()
    {
        byte[] terminate = [0x05, 0x01, 0x00, 0x08, 0, 0, 0, 0];
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(terminate, PppProtocol.Lcp, out var p));

        Assert.Equal(PppControlStatus.WrongCode, p.ReadMagic(out _, out _));
        Assert.Equal(PppControlStatus.WrongCode, p.ReadProtocolReject(out _, out _));
        Assert.Equal(PppControlStatus.WrongCode, p.ReadCodeReject(out _, out _));
        byte[] echo = [0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0];
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(echo, PppProtocol.Lcp, out var e));
        Assert.Equal(PppControlStatus.WrongCode, e.ReadTerminate(out _));
    }

    [Fact]
    public void Payload_readers_report_a_data_field_shorter_than_its_fixed_fields()
    {
        byte[] echo = [0x09, 0x01, 0x00, 0x07, 0x01, 0x02, 0x03];
        byte[] protocolReject = [0x08, 0x01, 0x00, 0x05, 0xC0];
        byte[] codeReject = [0x07, 0x01, 0x00, 0x07, 0x20, 0x01, 0x00];
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(echo, PppProtocol.Lcp, out var e));
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(protocolReject, PppProtocol.Lcp, out var r));
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(codeReject, PppProtocol.Lcp, out var c));

        Assert.Equal(PppControlStatus.PayloadTooShort, e.ReadMagic(out _, out _));
        Assert.Equal(PppControlStatus.PayloadTooShort, r.ReadProtocolReject(out _, out _));
        Assert.Equal(PppControlStatus.PayloadTooShort, c.ReadCodeReject(out _, out _));
    }

    [Fact]
    public void Truncation_at_every_octet_is_reported_and_never_throws()
    {
        var buffer = new byte[64];
        var w = new PppControlWriter(buffer, PppCode.ConfigureRequest, 1);
        w.WriteUInt16Option(LcpOption.Mru, 1400);
        w.WriteUInt32Option(LcpOption.MagicNumber, 0xDEADBEEF);
        w.WriteAuthenticationOption(PppProtocol.Chap, ChapAlgorithm.Md5);
        var n = w.Finish();

        for (var i = 0; i < n; i++)
        {
            var expected = i < 4 ? PppControlStatus.Truncated : PppControlStatus.LengthBeyondData;
            Assert.Equal(expected, PppControlPacket.Parse(buffer.AsSpan(0, i), PppProtocol.Lcp, out _));
        }
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(buffer.AsSpan(0, n), PppProtocol.Lcp, out _));
    }

    [Fact]
    public void Writer_fills_the_length_and_fails_once_the_buffer_is_full()
    {
        var buffer = new byte[10];
        var w = new PppControlWriter(buffer, PppCode.ConfigureRequest, 1);

        Assert.True(w.WriteUInt16Option(LcpOption.Mru, 1500));
        Assert.False(w.WriteUInt32Option(LcpOption.MagicNumber, 1));
        Assert.True(w.Failed);
        Assert.False(w.WriteFlagOption(LcpOption.ProtocolFieldCompression));
        Assert.Equal(0, w.Finish());
    }

    [Fact]
    public void Writer_refuses_a_buffer_smaller_than_the_header()
    {
        var w = new PppControlWriter(new byte[3], PppCode.TerminateRequest, 1);

        Assert.True(w.Failed);
        Assert.Equal(0, w.Finish());
    }

    [Fact]
    public void Writer_refuses_an_option_value_longer_than_the_length_octet_allows()
    {
        var w = new PppControlWriter(new byte[600], PppCode.ConfigureRequest, 1);

        Assert.True(w.WriteOption(1, new byte[253]));
        Assert.False(w.WriteOption(1, new byte[254]));
    }

    [Fact]
    public void Every_configure_packet_written_option_by_option_parses_back_the_same()
    {
        var protocols = Gen.OneOfConst(PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Ccp, PppProtocol.Ipv6cp);
        var codes = Gen.OneOfConst(PppCode.ConfigureRequest, PppCode.ConfigureAck, PppCode.ConfigureNak, PppCode.ConfigureReject);
        Gen.Select(protocols, codes, Gen.Byte, OptionGen.Array[0, 10], Gen.Byte.Array[0, 6]).Sample(t =>
        {
            var (protocol, code, identifier, options, padding) = t;
            var buffer = new byte[1024];
            var w = new PppControlWriter(buffer.AsSpan(4), code, identifier);
            foreach (var (type, value) in options)
            {
                Assert.True(w.WriteOption(type, value));
            }
            var length = w.Finish();
            Assert.Equal(4 + options.Sum(o => o.Value.Length + 2), length);
            var frameLength = 4 + length + padding.Length;
            PppFrame.WriteHeader(buffer, protocol);
            padding.CopyTo(buffer, 4 + length);

            Assert.Equal(PppFrameStatus.Ok, PppFrame.Parse(buffer.AsSpan(0, frameLength), out var frame));
            Assert.Equal(protocol, frame.Protocol);
            Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(frame.Information, frame.Protocol, out var p));
            Assert.Equal(code, p.Code);
            Assert.Equal(identifier, p.Identifier);
            var i = 0;
            foreach (var option in p.Options)
            {
                Assert.Equal(options[i].Type, option.Type);
                Assert.Equal(options[i].Value, option.Value.ToArray());
                i++;
            }
            Assert.Equal(options.Length, i);
            Assert.Equal(PppOptionStatus.Ok, PppOptionReader.Validate(p.Data));
        });
    }

    [Fact]
    public void Every_echo_discard_terminate_and_protocol_reject_written_parses_back_the_same()
    {
        var codes = Gen.OneOfConst(PppCode.EchoRequest, PppCode.EchoReply, PppCode.DiscardRequest,
            PppCode.TerminateRequest, PppCode.TerminateAck, PppCode.ProtocolReject, PppCode.CodeReject);
        Gen.Select(codes, Gen.Byte, Gen.UInt, Gen.Byte.Array[0, 40]).Sample(t =>
        {
            var (code, identifier, word, data) = t;
            var buffer = new byte[64];
            var w = new PppControlWriter(buffer, code, identifier);
            if (code is PppCode.EchoRequest or PppCode.EchoReply or PppCode.DiscardRequest)
            {
                w.WriteUInt32(word);
            }
            else if (code == PppCode.ProtocolReject)
            {
                w.WriteUInt16((ushort)word);
            }
            w.WriteData(data);
            var n = w.Finish();

            Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(buffer.AsSpan(0, n), PppProtocol.Lcp, out var p));
            Assert.Equal(code, p.Code);
            Assert.Equal(identifier, p.Identifier);
            if (code is PppCode.EchoRequest or PppCode.EchoReply or PppCode.DiscardRequest)
            {
                Assert.Equal(PppControlStatus.Ok, p.ReadMagic(out var magic, out var rest));
                Assert.Equal(word, magic);
                Assert.Equal(data, rest.ToArray());
            }
            else if (code == PppCode.ProtocolReject)
            {
                Assert.Equal(PppControlStatus.Ok, p.ReadProtocolReject(out var protocol, out var rest));
                Assert.Equal((ushort)word, protocol);
                Assert.Equal(data, rest.ToArray());
            }
            else
            {
                Assert.Equal(data, p.Data.ToArray());
            }
        });
    }

    [Fact]
    public void Never_throws_on_random_octets()
    {
        Gen.Select(Gen.Byte.Array[0, 40], Gen.OneOfConst(PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Ccp)).Sample(t =>
        {
            var (bytes, protocol) = t;
            var status = PppControlPacket.Parse(bytes, protocol, out var p);
            if (status is PppControlStatus.Ok or PppControlStatus.UnknownCode)
            {
                Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)), p.Length);
                foreach (var option in p.Options)
                {
                    Assert.True(option.Length >= 2);
                }
                p.ReadMagic(out _, out _);
                p.ReadProtocolReject(out _, out _);
                p.ReadCodeReject(out _, out _);
                p.ReadTerminate(out _);
            }
        });
    }
}
