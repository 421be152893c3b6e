using System.Buffers.Binary;
using Relay.Server.Stun;
using Relay.Wire.Stun;

namespace Relay.Server.Tests.Stun;

public class StunResponderTests
{
    private static readonly byte[] Source = [192, 0, 2, 7];

    private static byte[] Request(ushort type = 0x0001, bool rfc3489 = false, params (ushort Type, byte[] Value)[] attributes)
    {
        var body = new List<byte>();
        foreach (var (t, v) in attributes)
        {
            body.AddRange([(byte)(t >> 8), (byte)t, (byte)(v.Length >> 8), (byte)v.Length, .. v]);
            while (body.Count % 4 != 0)
            {
                body.Add(0);
            }
        }
        var m = new byte[20 + body.Count];
        BinaryPrimitives.WriteUInt16BigEndian(m, type);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)body.Count);
        if (!rfc3489)
        {
            BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), StunMessage.MagicCookie);
        }
        m[19] = 0x42;
        body.CopyTo(m, 20);
        return m;
    }

    private static (StunOutcome Outcome, byte[] Response) Handle(byte[] datagram, ushort port = 5000, byte[]? source = null)
    {
        var buffer = new byte[StunResponder.MaxResponseLength];
        var outcome = StunResponder.Handle(datagram, source ?? Source, port, buffer, out var written);
        return (outcome, buffer[..written]);
    }

    [Fact]
    public void Binding_request_is_answered_with_the_source_it_came_from()
    {
        var (outcome, response) = Handle(Request());
        Assert.Equal(StunOutcome.Answered, outcome);
        StunMessage.Parse(response, out var parsed);
        Span<byte> address = stackalloc byte[16];
        Assert.True(parsed.TryGetAddress(StunAttributeType.XorMappedAddress, address, out var length, out var port));
        Assert.Equal(Source, address[..length].ToArray());
        Assert.Equal(5000, port);
    }

    [Fact]
    public void Rfc3489_client_gets_mapped_address_and_no_xor_mapped_address() // RFC 5389 §12.2
    {
        var (outcome, response) = Handle(Request(rfc3489: true, attributes: ((ushort)StunAttributeType.ChangeRequest, new byte[4])));
        Assert.Equal(StunOutcome.Answered, outcome);
        StunMessage.Parse(response, out var parsed);
        Assert.True(parsed.IsRfc3489);
        Assert.False(parsed.TryGetAttribute(StunAttributeType.XorMappedAddress, out _));
        Assert.True(parsed.TryGetAttribute(StunAttributeType.MappedAddress, out _));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_sources_are_reported_as_ipv4()
    {
        var (_, response) = Handle(Request(), source: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 7]);
        StunMessage.Parse(response, out var parsed);
        Span<byte> address = stackalloc byte[16];
        Assert.True(parsed.TryGetAddress(StunAttributeType.MappedAddress, address, out var length, out _));
        Assert.Equal(Source, address[..length].ToArray());
    }

    [Theory]
    [InlineData(0x4, (int)StunOutcome.RejectedChangeRequest)]
    [InlineData(0x2, (int)StunOutcome.RejectedChangeRequest)]
    [InlineData(0x0, (int)StunOutcome.Answered)]
    public void Change_request_is_refused_with_420_when_a_change_is_asked(byte flags, int expectedOutcome)
    {
        var expected = (StunOutcome)expectedOutcome;
        var (outcome, response) = Handle(Request(rfc3489: true, attributes: ((ushort)StunAttributeType.ChangeRequest, [0, 0, 0, flags])));
        Assert.Equal(expected, outcome);
        StunMessage.Parse(response, out var parsed);
        if (expected != StunOutcome.Answered)
        {
            Assert.True(parsed.TryGetErrorCode(out var code, out _));
            Assert.Equal(420, code);
        }
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_get_420_listing_them() // §7.3.1
    {
        var (outcome, response) = Handle(Request(attributes: [(0x0024, new byte[4]), (0x8029, new byte[8]), (0x0006, new byte[9])]));
        Assert.Equal(StunOutcome.RejectedUnknownAttribute, outcome);
        StunMessage.Parse(response, out var parsed);
        Assert.Equal(StunMessageClass.ErrorResponse, parsed.Class);
        Assert.True(parsed.TryGetAttribute(StunAttributeType.UnknownAttributes, out var list));
        Assert.Equal(new byte[] { 0x00, 0x24, 0x00, 0x06 }, list.ToArray());
    }

    [Fact]
    public void Unknown_method_request_gets_400()
    {
        var (outcome, response) = Handle(Request(type: StunMessageType.Compose(0x003, StunMessageClass.Request)));
        Assert.Equal(StunOutcome.RejectedUnknownMethod, outcome);
        StunMessage.Parse(response, out var parsed);
        Assert.True(parsed.TryGetErrorCode(out var code, out _));
        Assert.Equal(400, code);
        Assert.Equal(0x003, parsed.Method);
    }

    [Fact]
    public void Truncated_attribute_gets_400()
    {
        var request = Request(attributes: ((ushort)0x8022, new byte[4]));
        request[23] = 40;
        Assert.Equal(StunOutcome.RejectedMalformed, Handle(request).Outcome);
    }

    [Theory]
    [InlineData(0x0101)]
    [InlineData(0x0111)]
    [InlineData(0x0011)]
    public void Responses_and_indications_are_never_answered(ushort type)
    {
        var (outcome, response) = Handle(Request(type: type));
        Assert.Equal(StunOutcome.DroppedNotRequest, outcome);
        Assert.Empty(response);
    }

    [Fact]
    public void Source_port_zero_is_never_answered() => Assert.Equal(StunOutcome.DroppedSourcePortZero, Handle(Request(), port: 0).Outcome);

    [Fact]
    public void Non_stun_datagrams_are_dropped_silently()
    {
        Assert.Equal(StunOutcome.DroppedMalformed, Handle([0xC0, 1, 2]).Outcome);
        Assert.Equal(StunOutcome.DroppedMalformed, Handle(new byte[21]).Outcome);
    }

    [Fact]
    public void Bad_fingerprint_is_dropped_silently() // §7.3
        => Assert.Equal(StunOutcome.DroppedBadFingerprint, Handle(Request(attributes: ((ushort)StunAttributeType.Fingerprint, new byte[4]))).Outcome);

    [Fact]
    public void Every_outcome_has_a_name() => Assert.Equal(Enum.GetValues<StunOutcome>().Length, StunOutcomeNames.All.Length);
}
