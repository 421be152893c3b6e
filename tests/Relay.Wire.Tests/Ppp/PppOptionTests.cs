using CsCheck;
using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

public sealed class PppOptionTests
{
    [Theory]
    // RFC 1661 §6: every option has Type and Length, and Length counts both.
    [InlineData(new byte[] { 0x01 }, PppOptionStatus.Truncated, 0)]
    [InlineData(new byte[] { 0x01, 0x00 }, PppOptionStatus.LengthTooShort, 0)]
    [InlineData(new byte[] { 0x01, 0x01, 0x00 }, PppOptionStatus.LengthTooShort, 0)]
    [InlineData(new byte[] { 0x01, 0x05, 0x00, 0x00 }, PppOptionStatus.LengthBeyondPacket, 0)]
    [InlineData(new byte[] { 0x07, 0x02, 0x01, 0x00 }, PppOptionStatus.LengthTooShort, 1)]
    [InlineData(new byte[] { 0x07, 0x02, 0x01, 0x04, 0x05 }, PppOptionStatus.LengthBeyondPacket, 1)]
    [InlineData(new byte[] { 0x07, 0x02, 0x08 }, PppOptionStatus.Truncated, 1)]
    public void Stops_at_a_malformed_option_and_says_why(byte[] options, PppOptionStatus expected, int goodBefore)
    {
        var reader = new PppOptionReader(options);
        var count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        Assert.Equal(expected, reader.Status);
        Assert.Equal(goodBefore, count);
        Assert.False(reader.MoveNext());
        Assert.Equal(expected, PppOptionReader.Validate(options));
    }

    [Fact]
    public void An_empty_option_list_is_valid()
        => Assert.Equal(PppOptionStatus.Ok, PppOptionReader.Validate([]));

    [Fact]
    public void Reads_lcp_option_values()
    {
        var buffer = new byte[64];
        var w = new PppControlWriter(buffer, PppCode.ConfigureRequest, 1);
        w.WriteUInt16Option(LcpOption.Mru, 1400);
        w.WriteUInt32Option(LcpOption.Accm, 0x000A0000);
        w.WriteAuthenticationOption(PppProtocol.Chap, ChapAlgorithm.MsChapV2);
        w.WriteProtocolOption(LcpOption.QualityProtocol, PppProtocol.LinkQualityReport, [0, 0, 0x03, 0xE8]);
        w.WriteUInt32Option(LcpOption.MagicNumber, 0x01020304);
        w.WriteFlagOption(LcpOption.ProtocolFieldCompression);
        w.WriteFlagOption(LcpOption.AddressControlFieldCompression);
        var n = w.Finish();
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(buffer.AsSpan(0, n), PppProtocol.Lcp, out var p));

        var o = p.Options;
        Assert.True(o.MoveNext());
        Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt16(out var mru));
        Assert.Equal(1400, mru);
        Assert.True(o.MoveNext());
        Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt32(out var accm));
        Assert.Equal(0x000A0000u, accm);
        Assert.True(o.MoveNext());
        Assert.Equal(PppOptionStatus.Ok, o.Current.ReadAuthentication(out var auth, out var algorithm));
        Assert.Equal(PppProtocol.Chap, auth);
        Assert.Equal(ChapAlgorithm.MsChapV2, algorithm);
        Assert.True(o.MoveNext());
        Assert.Equal(LcpOption.QualityProtocol, o.Current.Type);
        Assert.Equal(PppOptionStatus.Ok, o.Current.ReadProtocol(out var quality, out var period));
        Assert.Equal(PppProtocol.LinkQualityReport, quality);
        Assert.Equal([0, 0, 0x03, 0xE8], period.ToArray());
        Assert.True(o.MoveNext());
        Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt32(out var magic));
        Assert.Equal(0x01020304u, magic);
        Assert.True(o.MoveNext());
        Assert.Equal(LcpOption.ProtocolFieldCompression, o.Current.Type);
        Assert.True(o.Current.IsFlag);
        Assert.True(o.MoveNext());
        Assert.Equal(LcpOption.AddressControlFieldCompression, o.Current.Type);
        Assert.True(o.Current.IsFlag);
        Assert.False(o.MoveNext());
        Assert.Equal(PppOptionStatus.Ok, o.Status);
    }

    [Theory]
    // RFC 1661 §6.2 with RFC 1994 §3: CHAP carries exactly one Algorithm octet; PAP none (RFC 1334 §2.1).
    [InlineData(new byte[] { 0xC2, 0x23 }, PppOptionStatus.WrongLength)]
    [InlineData(new byte[] { 0xC2, 0x23, 0x05, 0x00 }, PppOptionStatus.WrongLength)]
    [InlineData(new byte[] { 0xC0, 0x23, 0x05 }, PppOptionStatus.WrongLength)]
    [InlineData(new byte[] { 0xC0 }, PppOptionStatus.WrongLength)]
    [InlineData(new byte[] { 0xC0, 0x23 }, PppOptionStatus.Ok)]
    [InlineData(new byte[] { 0xC2, 0x23, 0x05 }, PppOptionStatus.Ok)]
    public void Checks_the_length_of_the_authentication_protocol_option(byte[] value, PppOptionStatus expected)
        => Assert.Equal(expected, Read(LcpOption.AuthenticationProtocol, value, o => o.ReadAuthentication(out _, out _)));

    [Fact]
    public void Typed_readers_report_a_wrong_length()
    {
        Assert.Equal(PppOptionStatus.WrongLength, Read(LcpOption.Mru, [0x05], v => v.ReadUInt16(out _)));
        Assert.Equal(PppOptionStatus.WrongLength, Read(LcpOption.Mru, [0x05, 0xDC, 0x00], v => v.ReadUInt16(out _)));
        Assert.Equal(PppOptionStatus.WrongLength, Read(LcpOption.MagicNumber, [1, 2, 3], v => v.ReadUInt32(out _)));
        Assert.Equal(PppOptionStatus.WrongLength, Read(IpcpOption.IpAddress, [1, 2, 3, 4, 5], v => v.ReadUInt32(out _)));
        Assert.Equal(PppOptionStatus.WrongLength, Read(IpcpOption.IpCompressionProtocol, [0x00], v => v.ReadProtocol(out _, out _)));
    }

    [Fact]
    public void Reads_ipcp_address_dns_nbns_and_compression_options()
    {
        // RFC 1332 §3.2/3.3, RFC 1877 §1–4.
        var buffer = new byte[64];
        var w = new PppControlWriter(buffer, PppCode.ConfigureNak, 3);
        w.WriteProtocolOption(IpcpOption.IpCompressionProtocol, PppProtocol.VjCompressedTcpIp, [15, 1]);
        w.WriteUInt32Option(IpcpOption.IpAddress, 0x0A000001);
        w.WriteUInt32Option(IpcpOption.PrimaryDns, 0x08080808);
        w.WriteUInt32Option(IpcpOption.PrimaryNbns, 0x0A000002);
        w.WriteUInt32Option(IpcpOption.SecondaryDns, 0x08080404);
        w.WriteUInt32Option(IpcpOption.SecondaryNbns, 0x0A000003);
        var n = w.Finish();
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(buffer.AsSpan(0, n), PppProtocol.Ipcp, out var p));

        var seen = new List<(byte, uint)>();
        foreach (var option in p.Options)
        {
            if (option.Type == IpcpOption.IpCompressionProtocol)
            {
                Assert.Equal(PppOptionStatus.Ok, option.ReadProtocol(out var protocol, out var data));
                Assert.Equal(PppProtocol.VjCompressedTcpIp, protocol);
                Assert.Equal([15, 1], data.ToArray());
                continue;
            }
            Assert.Equal(PppOptionStatus.Ok, option.ReadUInt32(out var address));
            seen.Add((option.Type, address));
        }

        Assert.Equal(
            [(IpcpOption.IpAddress, 0x0A000001u), (IpcpOption.PrimaryDns, 0x08080808u), (IpcpOption.PrimaryNbns, 0x0A000002u),
             (IpcpOption.SecondaryDns, 0x08080404u), (IpcpOption.SecondaryNbns, 0x0A000003u)],
            seen);
    }

    [Fact]
    public void Every_typed_lcp_and_ipcp_value_written_reads_back_the_same()
    {
        var algorithms = Gen.OneOfConst(ChapAlgorithm.Md5, ChapAlgorithm.MsChapV2, ChapAlgorithm.MsChap);
        Gen.Select(Gen.UShort, Gen.UInt, Gen.UInt, algorithms, Gen.Bool, Gen.UInt, Gen.UInt).Sample(t =>
        {
            var (mru, accm, magic, algorithm, chap, address, dns) = t;
            var buffer = new byte[128];
            var w = new PppControlWriter(buffer, PppCode.ConfigureRequest, 0);
            w.WriteUInt16Option(LcpOption.Mru, mru);
            w.WriteUInt32Option(LcpOption.Accm, accm);
            w.WriteUInt32Option(LcpOption.MagicNumber, magic);
            w.WriteAuthenticationOption(chap ? PppProtocol.Chap : PppProtocol.Pap, algorithm);
            w.WriteUInt32Option(IpcpOption.IpAddress, address);
            w.WriteUInt32Option(IpcpOption.PrimaryDns, dns);
            var n = w.Finish();
            Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(buffer.AsSpan(0, n), PppProtocol.Lcp, out var p));

            var o = p.Options;
            Assert.True(o.MoveNext());
            Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt16(out var mru2));
            Assert.True(o.MoveNext());
            Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt32(out var accm2));
            Assert.True(o.MoveNext());
            Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt32(out var magic2));
            Assert.True(o.MoveNext());
            Assert.Equal(PppOptionStatus.Ok, o.Current.ReadAuthentication(out var auth, out var algorithm2));
            Assert.True(o.MoveNext());
            Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt32(out var address2));
            Assert.True(o.MoveNext());
            Assert.Equal(PppOptionStatus.Ok, o.Current.ReadUInt32(out var dns2));
            Assert.False(o.MoveNext());

            Assert.Equal((mru, accm, magic, address, dns), (mru2, accm2, magic2, address2, dns2));
            Assert.Equal(chap ? PppProtocol.Chap : PppProtocol.Pap, auth);
            Assert.Equal(chap ? algorithm : (byte)0, algorithm2);
        });
    }

    [Fact]
    public void Never_throws_on_random_option_lists_and_stops_inside_them()
    {
        Gen.Byte.Array[0, 48].Sample(bytes =>
        {
            var reader = new PppOptionReader(bytes);
            var consumed = 0;
            while (reader.MoveNext())
            {
                var option = reader.Current;
                consumed += option.Length;
                option.ReadUInt16(out _);
                option.ReadUInt32(out _);
                option.ReadProtocol(out _, out _);
                option.ReadAuthentication(out _, out _);
            }
            Assert.True(consumed <= bytes.Length);
            Assert.Equal(reader.Status == PppOptionStatus.Ok, consumed == bytes.Length);
        });
    }

    private delegate PppOptionStatus OptionRead(PppOption option);

    private static PppOptionStatus Read(byte type, byte[] value, OptionRead read)
    {
        byte[] options = [type, (byte)(value.Length + 2), .. value];
        var reader = new PppOptionReader(options);
        Assert.True(reader.MoveNext());
        return read(reader.Current);
    }
}
