using System.Buffers.Binary;
using CsCheck;
using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

public sealed class L2tpControlMessageTests
{
    private static readonly byte[] Secret = L2tpTestMessages.Secret;

    private sealed record AvpSpec(ushort Type, ushort Vendor, bool Mandatory, bool Hidden, byte[] Value, byte[] Padding);

    private static readonly Gen<AvpSpec> Avps = Gen.Select(
        Gen.Frequency((3, Gen.UShort[1, 45]), (1, Gen.UShort)),
        Gen.Frequency((4, Gen.Const((ushort)0)), (1, Gen.UShort)),
        Gen.Bool, Gen.Bool, Gen.Byte.Array[0, 60], Gen.Byte.Array[0, 20],
        (type, vendor, m, h, value, padding) =>
            // A Random Vector AVP may not be hidden (§4.4.1), so never generate one hidden.
            new AvpSpec(type, vendor, m, h && !(vendor == 0 && type == (ushort)AvpType.RandomVector), value, h ? padding : []));

    [Fact]
    public void Any_list_of_avps_round_trips_through_writer_and_reader()
    {
        Gen.Select(Avps.Array[0, 12], Gen.UShort, Gen.UShort, Gen.Byte.Array[1, 32]).Sample((specs, tunnel, session, rv) =>
        {
            var buffer = new byte[4096];
            var writer = new L2tpControlMessageWriter(buffer, tunnel, session, 3, 4);
            Assert.True(writer.WriteMessageType(L2tpMessageType.Iccn));
            Assert.True(writer.WriteRandomVector(rv));
            foreach (var s in specs)
            {
                var ok = s.Hidden
                    ? writer.WriteHidden(s.Type, s.Value, s.Mandatory, Secret, s.Padding, s.Vendor)
                    : writer.WriteAvp(s.Type, s.Value, s.Mandatory, s.Vendor);
                Assert.True(ok);
            }
            Assert.True(writer.TryFinish(out var length));

            Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(buffer.AsSpan(0, length), out var message));
            Assert.Equal(L2tpMessageType.Iccn, message.MessageType);
            Assert.Equal(tunnel, message.Header.TunnelId);
            Assert.Equal(session, message.Header.SessionId);
            var reader = message.Avps;
            Assert.True(reader.MoveNext()); // Message Type
            Assert.True(reader.MoveNext()); // Random Vector
            Assert.True(reader.Current.RawValue.SequenceEqual(rv));
            var scratch = new byte[1024];
            AvpSpec? firstUnknownMandatory = null;
            foreach (var s in specs)
            {
                Assert.True(reader.MoveNext());
                var avp = reader.Current;
                Assert.Equal(s.Type, avp.AttributeType);
                Assert.Equal(s.Vendor, avp.VendorId);
                Assert.Equal(s.Mandatory, avp.IsMandatory);
                Assert.Equal(s.Hidden, avp.IsHidden);
                Assert.Equal(6 + s.Value.Length + (s.Hidden ? 2 + s.Padding.Length : 0), avp.Length);
                Assert.Equal(L2tpParseStatus.Ok, avp.TryGetValue(Secret, scratch, out var value));
                Assert.True(value.SequenceEqual(s.Value));
                var expectedKind = s.Vendor != 0 ? L2tpAvpKind.Vendor
                    : s.Type is <= 39 and not 20 ? L2tpAvpKind.Known
                    : s.Mandatory ? L2tpAvpKind.UnknownMandatory : L2tpAvpKind.UnknownOptional;
                Assert.Equal(expectedKind, avp.Kind);
                if (firstUnknownMandatory is null && s.Mandatory && expectedKind != L2tpAvpKind.Known)
                {
                    firstUnknownMandatory = s;
                }
            }
            Assert.False(reader.MoveNext());
            Assert.Equal(L2tpParseStatus.Ok, reader.Status);
            Assert.Equal(firstUnknownMandatory is not null, message.HasUnrecognizedMandatoryAvp);
            if (firstUnknownMandatory is not null)
            {
                Assert.Equal(firstUnknownMandatory.Type, message.UnrecognizedMandatoryAttributeType);
                Assert.Equal(firstUnknownMandatory.Vendor, message.UnrecognizedMandatoryVendorId);
            }
        });
    }

    [Fact]
    public void Parses_every_message_type_the_rfc_defines()
    {
        foreach (var (type, bytes) in L2tpTestMessages.OneOfEveryType())
        {
            Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
            Assert.Equal(type, message.MessageType);
            Assert.True(message.IsMessageTypeMandatory);
            Assert.True(message.IsKnownMessageType);
            Assert.False(message.HasUnrecognizedMandatoryAvp);
            Assert.False(message.IsZeroLengthBody);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(0xffff)]
    public void Reserved_and_unassigned_message_types_parse_as_unknown(int type)
    {
        // §3.2 reserves 0, 5 and 13; §4.4.1 leaves the decision (M-bit) to the caller.
        var bytes = L2tpTestMessages.Build((L2tpMessageType)type);
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        Assert.Equal((L2tpMessageType)type, message.MessageType);
        Assert.False(message.IsKnownMessageType);
    }

    [Fact]
    public void Reports_the_m_bit_of_the_message_type()
    {
        var buffer = new byte[32];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteMessageType((L2tpMessageType)99, mandatory: false);
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(buffer.AsSpan(0, length), out var message));
        Assert.False(message.IsMessageTypeMandatory);
    }

    [Fact]
    public void A_header_without_avps_is_a_zero_length_body_ack()
    {
        // §5.8: a ZLB control message is the header alone.
        var buffer = new byte[12];
        var writer = new L2tpControlMessageWriter(buffer, 9, 0, 4, 7);
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(12, length);
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(buffer, out var message));
        Assert.True(message.IsZeroLengthBody);
        Assert.Equal(4, message.Header.Ns);
        Assert.Equal(7, message.Header.Nr);
    }

    [Fact]
    public void Rejects_a_data_message_as_not_control()
    {
        Assert.Equal(L2tpParseStatus.NotControl, L2tpControlMessage.TryParse([0x00, 0x02, 0, 1, 0, 2, 0xff, 0x03], out _));
    }

    [Fact]
    public void Header_errors_pass_through()
    {
        Assert.Equal(L2tpParseStatus.ControlWithoutSequence, L2tpControlMessage.TryParse([0xc0, 0x02, 0, 8, 0, 1, 0, 0], out _));
        Assert.Equal(L2tpParseStatus.L2fVersion, L2tpControlMessage.TryParse([0xc8, 0x01, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0], out _));
    }

    [Fact]
    public void Rejects_a_message_whose_first_avp_is_not_message_type()
    {
        // §4.4.1: the Message Type AVP MUST be the first AVP.
        var buffer = new byte[64];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteUInt16(AvpType.AssignedTunnelId, 5, mandatory: true);
        writer.WriteMessageType(L2tpMessageType.Sccrq);
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(L2tpParseStatus.MessageTypeNotFirst, L2tpControlMessage.TryParse(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void Rejects_a_vendor_message_type_in_first_place()
    {
        var buffer = new byte[64];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteAvp(0, [0, 1], mandatory: true, vendorId: 9);
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(L2tpParseStatus.MessageTypeNotFirst, L2tpControlMessage.TryParse(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void Rejects_a_message_type_with_a_reserved_bit_as_not_first()
    {
        // §4.1: an AVP with a reserved bit set is unrecognised, so it is not a Message Type AVP.
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Hello);
        bytes[12] |= 0x04;
        Assert.Equal(L2tpParseStatus.MessageTypeNotFirst, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Rejects_a_hidden_message_type()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Hello);
        bytes[12] |= 0x40;
        Assert.Equal(L2tpParseStatus.MessageTypeHidden, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Rejects_a_message_type_avp_whose_length_is_not_8()
    {
        var buffer = new byte[64];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteAvp(AvpType.MessageType, [0, 0, 6], mandatory: true);
        Assert.True(writer.TryFinish(out var length));
        Assert.Equal(L2tpParseStatus.BadMessageType, L2tpControlMessage.TryParse(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void Rejects_a_hidden_avp_without_a_preceding_random_vector()
    {
        // §4.3: the Random Vector AVP MUST precede the first AVP with the H bit set.
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Icrq, (ref L2tpControlMessageWriter w) =>
            w.WriteUInt16(AvpType.AssignedSessionId, 4, mandatory: true));
        bytes[20] |= 0x40;
        Assert.Equal(L2tpParseStatus.HiddenAvpWithoutRandomVector, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Writer_refuses_a_hidden_avp_before_any_random_vector()
    {
        var buffer = new byte[64];
        var writer = new L2tpControlMessageWriter(buffer, 1, 0, 0, 0);
        writer.WriteMessageType(L2tpMessageType.Icrq);
        Assert.False(writer.WriteHidden(AvpType.AssignedSessionId, [0, 4], mandatory: true, Secret));
        Assert.False(writer.TryFinish(out _));
    }

    [Fact]
    public void A_random_vector_after_the_hidden_avp_does_not_count()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Icrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedSessionId, 4, mandatory: true);
            w.WriteRandomVector([1, 2, 3]);
        });
        bytes[20] |= 0x40;
        Assert.Equal(L2tpParseStatus.HiddenAvpWithoutRandomVector, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Rejects_a_hidden_random_vector()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Icrq, (ref L2tpControlMessageWriter w) => w.WriteRandomVector([1, 2, 3]));
        bytes[20] |= 0x40;
        Assert.Equal(L2tpParseStatus.RandomVectorHidden, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Each_hidden_avp_uses_the_random_vector_closest_before_it()
    {
        // §4.3 / §4.4.1: with several Random Vector AVPs, a hidden AVP uses the nearest preceding one.
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Iccn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteRandomVector([1, 1, 1, 1]);
            w.WriteHidden(AvpType.ProxyAuthenName, "first"u8, mandatory: false, Secret);
            w.WriteRandomVector([2, 2, 2, 2, 2, 2]);
            w.WriteHidden(AvpType.ProxyAuthenResponse, "second-value-longer-than-16"u8, mandatory: false, Secret, [9, 9, 9]);
        });
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        var scratch = new byte[64];
        var seen = new List<string>();
        foreach (var avp in message.Avps)
        {
            if (avp.IsHidden)
            {
                Assert.Equal(L2tpParseStatus.Ok, avp.TryGetValue(Secret, scratch, out var value));
                seen.Add(System.Text.Encoding.ASCII.GetString(value));
                Assert.Equal(avp.Type == AvpType.ProxyAuthenName ? 4 : 6, avp.RandomVector.Length);
            }
        }
        Assert.Equal(["first", "second-value-longer-than-16"], seen);
    }

    [Fact]
    public void Reports_an_unknown_mandatory_ietf_avp_by_type()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteAvp(40, [1], mandatory: false);
            w.WriteAvp(20, [2], mandatory: true);
            w.WriteAvp(41, [3], mandatory: true);
        });
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        Assert.True(message.HasUnrecognizedMandatoryAvp);
        Assert.Equal(20, message.UnrecognizedMandatoryAttributeType);
        Assert.Equal(0, message.UnrecognizedMandatoryVendorId);
        var kinds = new List<L2tpAvpKind>();
        foreach (var avp in message.Avps)
        {
            kinds.Add(avp.Kind);
        }
        Assert.Equal([L2tpAvpKind.Known, L2tpAvpKind.UnknownOptional, L2tpAvpKind.UnknownMandatory, L2tpAvpKind.UnknownMandatory], kinds);
    }

    [Fact]
    public void Reports_a_mandatory_vendor_avp_with_its_vendor_id()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteAvp(1, [1], mandatory: false, vendorId: 9);
            w.WriteAvp(7, [2], mandatory: true, vendorId: 311);
        });
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        Assert.True(message.HasUnrecognizedMandatoryAvp);
        Assert.Equal(7, message.UnrecognizedMandatoryAttributeType);
        Assert.Equal(311, message.UnrecognizedMandatoryVendorId);
    }

    [Fact]
    public void Optional_unknown_and_vendor_avps_are_skipped_without_a_report()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteAvp(1, [1], mandatory: false, vendorId: 9);
            w.WriteAvp(77, [], mandatory: false);
        });
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        Assert.False(message.HasUnrecognizedMandatoryAvp);
    }

    [Fact]
    public void A_known_avp_with_a_reserved_bit_is_treated_as_unrecognized()
    {
        // §4.1: "An AVP received with a reserved bit set to 1 MUST be treated as an unrecognized AVP."
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
            w.WriteUInt16(AvpType.AssignedTunnelId, 5, mandatory: true));
        bytes[20] |= 0x08;
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        Assert.True(message.HasUnrecognizedMandatoryAvp);
        Assert.Equal((ushort)AvpType.AssignedTunnelId, message.UnrecognizedMandatoryAttributeType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Rejects_an_avp_length_below_6(int length)
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
            w.WriteUInt16(AvpType.AssignedTunnelId, 5, mandatory: true));
        bytes[20] = (byte)(bytes[20] & 0xfc);
        bytes[21] = (byte)length;
        Assert.Equal(L2tpParseStatus.AvpLengthTooSmall, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Rejects_an_avp_that_runs_past_the_message()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
            w.WriteUInt16(AvpType.AssignedTunnelId, 5, mandatory: true));
        bytes[21] = 9;
        Assert.Equal(L2tpParseStatus.AvpBeyondMessage, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void An_avp_may_not_run_past_the_length_field_into_trailing_octets()
    {
        // §3.1: trailing octets after Length are not part of the message, so an AVP cannot use them.
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Hello);
        var padded = bytes.Concat(new byte[] { 0, 0, 0, 0 }).ToArray();
        padded[13] = 12;
        Assert.Equal(L2tpParseStatus.AvpBeyondMessage, L2tpControlMessage.TryParse(padded, out _));
        bytes.CopyTo(padded, 0);
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(padded, out var message));
        Assert.Equal(bytes.Length, message.Header.MessageEnd);
    }

    [Fact]
    public void Rejects_leftover_octets_too_short_for_an_avp_header()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Hello).Concat(new byte[] { 0, 6, 0 }).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        Assert.Equal(L2tpParseStatus.AvpTruncated, L2tpControlMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Truncation_at_every_octet_of_every_message_type_is_reported()
    {
        foreach (var (_, bytes) in L2tpTestMessages.OneOfEveryType())
        {
            for (var cut = 0; cut < bytes.Length; cut++)
            {
                var status = L2tpControlMessage.TryParse(bytes.AsSpan(0, cut), out _);
                var expected = cut < L2tpHeader.ControlHeaderLength ? L2tpParseStatus.Truncated : L2tpParseStatus.LengthExceedsDatagram;
                Assert.Equal(expected, status);
            }
        }
    }

    [Fact]
    public void Truncating_the_length_field_with_the_datagram_is_reported_per_avp()
    {
        // The Length field shrunk along with the datagram: the cut lands inside an AVP.
        var bytes = L2tpTestMessages.OneOfEveryType().First().Message;
        for (var cut = L2tpHeader.ControlHeaderLength; cut < bytes.Length; cut++)
        {
            var copy = bytes[..cut];
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)cut);
            var status = L2tpControlMessage.TryParse(copy, out _);
            Assert.Contains(status, new[]
            {
                L2tpParseStatus.Ok, L2tpParseStatus.AvpTruncated, L2tpParseStatus.AvpBeyondMessage,
            });
            Assert.Equal(status == L2tpParseStatus.Ok, IsAvpBoundary(bytes, cut));
        }
    }

    [Fact]
    public void Random_mutations_of_valid_messages_never_throw()
    {
        var seeds = L2tpTestMessages.OneOfEveryType().Select(m => m.Message).ToArray();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 200], Gen.Byte, Gen.Int[0, 3]).Sample((seed, at, value, extra) =>
        {
            var bytes = seeds[seed].ToArray();
            bytes[at % bytes.Length] = value;
            bytes[(at * 7 + extra) % bytes.Length] ^= (byte)(1 << extra);
            var status = L2tpControlMessage.TryParse(bytes, out var message);
            if (status == L2tpParseStatus.Ok)
            {
                var scratch = new byte[1024];
                foreach (var avp in message.Avps)
                {
                    _ = avp.TryGetValue(Secret, scratch, out _);
                }
            }
        }, iter: 20_000);
    }

    private static bool IsAvpBoundary(byte[] message, int offset)
    {
        var position = L2tpHeader.ControlHeaderLength;
        while (position < offset)
        {
            position += BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(position)) & 0x3ff;
        }
        return position == offset;
    }
}
