using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

public sealed class L2tpControlMessageWriterTests
{
    [Fact]
    public void Writes_the_exact_bytes_of_a_hello()
    {
        var buffer = new byte[20];
        var writer = new L2tpControlMessageWriter(buffer, 0x0102, 0, 5, 6);
        Assert.True(writer.WriteMessageType(L2tpMessageType.Hello));
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(20, length);
        // §3.1 header, then §4.1 AVP: M=1 H=0 Length=8, Vendor 0, Type 0 (Message Type), value 6.
        Assert.Equal(Convert.FromHexString("C8020014010200000005000680080000000000" + "06"), buffer);
    }

    [Fact]
    public void Encodes_the_ten_bit_avp_length_and_the_m_and_h_bits()
    {
        var buffer = new byte[1200];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteRandomVector([1]);
        var padding = new byte[600];
        Assert.True(writer.WriteHidden(AvpType.ProxyAuthenName, new byte[100], mandatory: false, [7]));
        Assert.True(writer.WriteHidden(AvpType.ProxyAuthenResponse, new byte[10], mandatory: true, [7], padding));
        Assert.True(writer.TryFinish(out _));
        // First hidden AVP at 12 + 7: H only, length 6 + 2 + 100 = 108.
        Assert.Equal(new byte[] { 0x40, 108 }, buffer[19..21]);
        // Second at 19 + 108 = 127: M and H, length 6 + 2 + 10 + 600 = 618 = 0x26a.
        Assert.Equal(new byte[] { 0xc2, 0x6a }, buffer[127..129]);
    }

    [Fact]
    public void Refuses_an_avp_longer_than_1023_octets()
    {
        // §4.1: the Length field is 10 bits.
        var buffer = new byte[2048];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        Assert.True(writer.WriteAvp(AvpType.VendorName, new byte[1017], mandatory: false));
        Assert.False(writer.WriteAvp(AvpType.VendorName, new byte[1018], mandatory: false));
        Assert.True(writer.Failed);
    }

    [Fact]
    public void A_failed_write_fails_the_whole_message()
    {
        var buffer = new byte[24];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        Assert.True(writer.WriteMessageType(L2tpMessageType.Sccrq));
        Assert.False(writer.WriteAvp(AvpType.HostName, "too-long"u8, mandatory: true));
        Assert.False(writer.WriteUInt16(AvpType.ReceiveWindowSize, 4, mandatory: true)); // would fit, but refused
        Assert.False(writer.TryFinish(out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void A_buffer_too_small_for_the_header_fails_without_throwing()
    {
        for (var size = 0; size < L2tpHeader.ControlHeaderLength; size++)
        {
            var writer = new L2tpControlMessageWriter(new byte[size], 1, 0, 0, 0);
            Assert.True(writer.Failed);
            Assert.False(writer.WriteMessageType(L2tpMessageType.Hello));
            Assert.False(writer.TryFinish(out _));
        }
    }

    [Fact]
    public void Every_message_is_rewritten_exactly_and_fails_cleanly_in_any_shorter_buffer()
    {
        foreach (var (_, message) in L2tpTestMessages.OneOfEveryType())
        {
            Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(message, out var parsed));
            for (var size = 0; size <= message.Length; size++)
            {
                var buffer = new byte[size];
                var writer = new L2tpControlMessageWriter(buffer, parsed.Header.TunnelId, parsed.Header.SessionId, parsed.Header.Ns, parsed.Header.Nr);
                foreach (var avp in parsed.Avps)
                {
                    writer.WriteAvp(avp.AttributeType, avp.RawValue, avp.IsMandatory, avp.VendorId);
                }
                Assert.Equal(size == message.Length, writer.TryFinish(out var length));
                if (size == message.Length)
                {
                    Assert.Equal(message, buffer[..length]);
                }
            }
        }
    }

    [Fact]
    public void Typed_helpers_write_the_formats_the_accessors_read()
    {
        var buffer = new byte[256];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteMessageType(L2tpMessageType.Iccn);
        writer.WriteProtocolVersion();
        writer.WriteQ931CauseCode(0x1234, 7, "busy"u8);
        writer.WriteProxyAuthenId(3);
        writer.WriteUInt64(AvpType.TieBreaker, ulong.MaxValue - 1, mandatory: false);
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(buffer.AsSpan(0, length), out var message));
        var reader = message.Avps;
        reader.MoveNext();
        reader.MoveNext();
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadProtocolVersion(reader.Current.RawValue, out var version, out var revision));
        Assert.Equal((1, 0), (version, revision));
        reader.MoveNext();
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadQ931CauseCode(reader.Current.RawValue, out var cause));
        Assert.Equal(0x1234, cause.CauseCode);
        Assert.Equal(7, cause.CauseMessage);
        Assert.True(cause.Advisory.SequenceEqual("busy"u8));
        reader.MoveNext();
        Assert.False(reader.Current.IsMandatory);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadProxyAuthenId(reader.Current.RawValue, out var id));
        Assert.Equal(3, id);
        reader.MoveNext();
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadTieBreaker(reader.Current.RawValue, out var tie));
        Assert.Equal(ulong.MaxValue - 1, tie);
    }

    [Fact]
    public void An_unhide_without_random_vector_reports_it()
    {
        // A hand-built AVP with H=1 and no Random Vector before it, read through the reader directly.
        byte[] body = [0x40, 10, 0, 0, 0, 9, 1, 2, 3, 4];
        var reader = new L2tpAvpReader(body);
        Assert.True(reader.MoveNext());
        Assert.Equal(L2tpParseStatus.HiddenAvpWithoutRandomVector, reader.Current.TryGetValue("s"u8, new byte[8], out _));
    }
}
