using System.Reflection;
using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

public sealed class L2tpAvpValuesTests
{
    [Fact]
    public void Every_attribute_type_has_an_accessor_and_a_status_naming_it()
    {
        var methods = typeof(L2tpAvpValues).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        foreach (var name in Enum.GetNames<AvpType>())
        {
            Assert.Contains("TryRead" + name, methods);
            Assert.True(Enum.TryParse<L2tpParseStatus>("Bad" + name, out _), $"no Bad{name} status");
        }
        Assert.Equal(39, Enum.GetValues<AvpType>().Length); // 0–39 without the unassigned 20 (§10.1)
    }

    [Fact]
    public void Reads_a_result_code_alone()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadResultCode([0, 1], out var result));
        Assert.Equal(1, result.Result);
        Assert.False(result.HasErrorCode);
        Assert.True(result.ErrorMessage.IsEmpty);
    }

    [Fact]
    public void Reads_a_result_code_with_error_code()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadResultCode([0, 2, 0, 8], out var result));
        Assert.Equal(2, result.Result);
        Assert.True(result.HasErrorCode);
        Assert.Equal(8, result.ErrorCode);
        Assert.True(result.ErrorMessage.IsEmpty);
    }

    [Fact]
    public void Reads_a_result_code_with_error_code_and_message()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadResultCode([0, 2, 0, 6, (byte)'h', (byte)'i'], out var result));
        Assert.Equal(6, result.ErrorCode);
        Assert.True(result.ErrorMessage.SequenceEqual("hi"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Rejects_a_result_code_of_0_1_or_3_octets(int length)
    {
        // §4.4.2: Length is 8, 10, or 10 + message, i.e. a value of 2, 4 or more octets.
        Assert.Equal(L2tpParseStatus.BadResultCode, L2tpAvpValues.TryReadResultCode(new byte[length], out _));
    }

    [Fact]
    public void Result_code_written_by_the_writer_reads_back()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.StopCcn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteResultCode(1);
            w.WriteResultCode(2, 4);
            w.WriteResultCode(2, null, "text"u8);
        });
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        var lengths = new List<int>();
        foreach (var avp in message.Avps)
        {
            if (avp.Type == AvpType.ResultCode)
            {
                Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadResultCode(avp.RawValue, out _));
                lengths.Add(avp.Length);
            }
        }
        Assert.Equal([8, 10, 14], lengths);
    }

    [Fact]
    public void Reads_message_type()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadMessageType([0, 14], out var type));
        Assert.Equal(L2tpMessageType.Cdn, type);
        Assert.Equal(L2tpParseStatus.BadMessageType, L2tpAvpValues.TryReadMessageType([14], out _));
    }

    [Fact]
    public void Reads_protocol_version()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadProtocolVersion([1, 0], out var version, out var revision));
        Assert.Equal((1, 0), (version, revision));
        Assert.Equal(L2tpParseStatus.BadProtocolVersion, L2tpAvpValues.TryReadProtocolVersion([1, 0, 0], out _, out _));
    }

    [Fact]
    public void Reads_capability_and_type_bit_masks()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadFramingCapabilities([0, 0, 0, 3], out var framing));
        Assert.Equal(L2tpFramingBits.Synchronous | L2tpFramingBits.Asynchronous, framing);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadBearerCapabilities([0, 0, 0, 2], out var bearer));
        Assert.Equal(L2tpBearerBits.Analog, bearer);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadBearerType([0, 0, 0, 1], out var bearerType));
        Assert.Equal(L2tpBearerBits.Digital, bearerType);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadFramingType([0, 0, 0, 1], out var framingType));
        Assert.Equal(L2tpFramingBits.Synchronous, framingType);
        Assert.Equal(L2tpParseStatus.BadFramingCapabilities, L2tpAvpValues.TryReadFramingCapabilities([0, 3], out _));
        Assert.Equal(L2tpParseStatus.BadBearerCapabilities, L2tpAvpValues.TryReadBearerCapabilities([0, 0, 0, 0, 3], out _));
        Assert.Equal(L2tpParseStatus.BadBearerType, L2tpAvpValues.TryReadBearerType([], out _));
        Assert.Equal(L2tpParseStatus.BadFramingType, L2tpAvpValues.TryReadFramingType([1, 2, 3], out _));
    }

    [Fact]
    public void Reads_an_8_octet_tie_breaker()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadTieBreaker([1, 2, 3, 4, 5, 6, 7, 8], out var value));
        Assert.Equal(0x0102030405060708UL, value);
        Assert.Equal(L2tpParseStatus.BadTieBreaker, L2tpAvpValues.TryReadTieBreaker([1, 2, 3, 4, 5, 6, 7], out _));
        Assert.Equal(L2tpParseStatus.BadTieBreaker, L2tpAvpValues.TryReadTieBreaker(new byte[9], out _));
    }

    [Fact]
    public void Reads_two_octet_values()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadFirmwareRevision([0x12, 0x34], out var firmware));
        Assert.Equal(0x1234, firmware);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadReceiveWindowSize([0, 8], out var window));
        Assert.Equal(8, window);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadProxyAuthenType([0, 2], out var authen));
        Assert.Equal(L2tpProxyAuthenType.Chap, authen);
        Assert.Equal(L2tpParseStatus.BadFirmwareRevision, L2tpAvpValues.TryReadFirmwareRevision([1], out _));
        Assert.Equal(L2tpParseStatus.BadReceiveWindowSize, L2tpAvpValues.TryReadReceiveWindowSize([0, 0, 8], out _));
        Assert.Equal(L2tpParseStatus.BadProxyAuthenType, L2tpAvpValues.TryReadProxyAuthenType([], out _));
    }

    [Fact]
    public void Assigned_ids_must_be_two_octets_and_non_zero()
    {
        // §4.4.3 / §4.4.4: "a 2 octet non-zero unsigned integer".
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadAssignedTunnelId([0xab, 0xcd], out var tunnel));
        Assert.Equal(0xabcd, tunnel);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadAssignedSessionId([0, 1], out var session));
        Assert.Equal(1, session);
        Assert.Equal(L2tpParseStatus.BadAssignedTunnelId, L2tpAvpValues.TryReadAssignedTunnelId([0, 0], out _));
        Assert.Equal(L2tpParseStatus.BadAssignedTunnelId, L2tpAvpValues.TryReadAssignedTunnelId([0, 0, 1], out _));
        Assert.Equal(L2tpParseStatus.BadAssignedSessionId, L2tpAvpValues.TryReadAssignedSessionId([0, 0], out _));
        Assert.Equal(L2tpParseStatus.BadAssignedSessionId, L2tpAvpValues.TryReadAssignedSessionId([1], out _));
    }

    [Fact]
    public void Reads_four_octet_values()
    {
        byte[] four = [0x00, 0x01, 0x86, 0xa0];
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadCallSerialNumber(four, out var serial));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadMinimumBps(four, out var min));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadMaximumBps(four, out var max));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadTxConnectSpeed(four, out var tx));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadRxConnectSpeed(four, out var rx));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadPhysicalChannelId(four, out var channel));
        Assert.All(new[] { serial, min, max, tx, rx, channel }, v => Assert.Equal(100_000u, v));
        byte[] three = [1, 2, 3];
        Assert.Equal(L2tpParseStatus.BadCallSerialNumber, L2tpAvpValues.TryReadCallSerialNumber(three, out _));
        Assert.Equal(L2tpParseStatus.BadMinimumBps, L2tpAvpValues.TryReadMinimumBps(three, out _));
        Assert.Equal(L2tpParseStatus.BadMaximumBps, L2tpAvpValues.TryReadMaximumBps(three, out _));
        Assert.Equal(L2tpParseStatus.BadTxConnectSpeed, L2tpAvpValues.TryReadTxConnectSpeed(three, out _));
        Assert.Equal(L2tpParseStatus.BadRxConnectSpeed, L2tpAvpValues.TryReadRxConnectSpeed(three, out _));
        Assert.Equal(L2tpParseStatus.BadPhysicalChannelId, L2tpAvpValues.TryReadPhysicalChannelId(three, out _));
    }

    [Fact]
    public void Octet_strings_that_must_not_be_empty_reject_empty()
    {
        // §4.4.3 Host Name "MUST be at least 1 octet"; Challenge and Proxy Authen Challenge are "one or more".
        Assert.Equal(L2tpParseStatus.BadHostName, L2tpAvpValues.TryReadHostName([], out _));
        Assert.Equal(L2tpParseStatus.BadChallenge, L2tpAvpValues.TryReadChallenge([], out _));
        Assert.Equal(L2tpParseStatus.BadProxyAuthenChallenge, L2tpAvpValues.TryReadProxyAuthenChallenge([], out _));
        Assert.Equal(L2tpParseStatus.BadRandomVector, L2tpAvpValues.TryReadRandomVector([], out _));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadHostName("h"u8, out var host));
        Assert.True(host.SequenceEqual("h"u8));
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadChallenge([7], out var challenge));
        Assert.Equal(1, challenge.Length);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadProxyAuthenChallenge([7, 8], out var proxyChallenge));
        Assert.Equal(2, proxyChallenge.Length);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadRandomVector(new byte[16], out var rv));
        Assert.Equal(16, rv.Length);
    }

    [Fact]
    public void Octet_strings_of_any_length_return_the_input_slice()
    {
        byte[] text = "5551234"u8.ToArray();
        var readers = new Func<byte[], (L2tpParseStatus, int)>[]
        {
            v => (L2tpAvpValues.TryReadVendorName(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadCalledNumber(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadCallingNumber(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadSubAddress(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadPrivateGroupId(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadInitialReceivedLcpConfReq(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadLastSentLcpConfReq(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadLastReceivedLcpConfReq(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadProxyAuthenName(v, out var r), r.Length),
            v => (L2tpAvpValues.TryReadProxyAuthenResponse(v, out var r), r.Length),
        };
        foreach (var read in readers)
        {
            Assert.Equal((L2tpParseStatus.Ok, text.Length), read(text));
            Assert.Equal((L2tpParseStatus.Ok, 0), read([]));
        }
    }

    [Fact]
    public void Challenge_response_is_exactly_16_octets()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadChallengeResponse(new byte[16], out var response));
        Assert.Equal(16, response.Length);
        Assert.Equal(L2tpParseStatus.BadChallengeResponse, L2tpAvpValues.TryReadChallengeResponse(new byte[15], out _));
        Assert.Equal(L2tpParseStatus.BadChallengeResponse, L2tpAvpValues.TryReadChallengeResponse(new byte[17], out _));
    }

    [Fact]
    public void Reads_a_q931_cause_with_and_without_advisory()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadQ931CauseCode([0, 16, 0x45], out var bare));
        Assert.Equal(16, bare.CauseCode);
        Assert.Equal(0x45, bare.CauseMessage);
        Assert.True(bare.Advisory.IsEmpty);
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadQ931CauseCode([0, 16, 0x45, (byte)'x'], out var advised));
        Assert.True(advised.Advisory.SequenceEqual("x"u8));
        Assert.Equal(L2tpParseStatus.BadQ931CauseCode, L2tpAvpValues.TryReadQ931CauseCode([0, 16], out _));
    }

    [Fact]
    public void Proxy_authen_id_needs_a_zero_high_octet()
    {
        // §4.4.5: "the most significant octet MUST be 0".
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadProxyAuthenId([0, 42], out var id));
        Assert.Equal(42, id);
        Assert.Equal(L2tpParseStatus.BadProxyAuthenId, L2tpAvpValues.TryReadProxyAuthenId([1, 42], out _));
        Assert.Equal(L2tpParseStatus.BadProxyAuthenId, L2tpAvpValues.TryReadProxyAuthenId([42], out _));
    }

    [Fact]
    public void Reads_call_errors_written_by_the_writer()
    {
        var expected = new L2tpCallErrors(1, 2, 3, 0xfffffffe, 5, 6);
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Wen, (ref L2tpControlMessageWriter w) => w.WriteCallErrors(expected));
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        var reader = message.Avps;
        reader.MoveNext();
        reader.MoveNext();
        Assert.Equal(32, reader.Current.Length); // §4.4.6: Length is 32
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadCallErrors(reader.Current.RawValue, out var errors));
        Assert.Equal(expected, errors);
        Assert.Equal(L2tpParseStatus.BadCallErrors, L2tpAvpValues.TryReadCallErrors(new byte[25], out _));
    }

    [Fact]
    public void Reads_accm_written_by_the_writer()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sli, (ref L2tpControlMessageWriter w) => w.WriteAccm(0x000a0000, 0xffffffff));
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        var reader = message.Avps;
        reader.MoveNext();
        reader.MoveNext();
        Assert.Equal(16, reader.Current.Length); // §4.4.6: Length is 16
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadAccm(reader.Current.RawValue, out var send, out var receive));
        Assert.Equal(0x000a0000u, send);
        Assert.Equal(0xffffffffu, receive);
        Assert.Equal(L2tpParseStatus.BadAccm, L2tpAvpValues.TryReadAccm(new byte[8], out _, out _));
    }

    [Fact]
    public void Sequencing_required_has_no_value()
    {
        Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadSequencingRequired([]));
        Assert.Equal(L2tpParseStatus.BadSequencingRequired, L2tpAvpValues.TryReadSequencingRequired([0]));
    }

    [Fact]
    public void Hidden_values_are_read_through_the_same_accessors()
    {
        var bytes = L2tpTestMessages.Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteRandomVector(L2tpTestMessages.RandomVector);
            w.WriteHidden(AvpType.AssignedTunnelId, [0x01, 0x02], mandatory: true, L2tpTestMessages.Secret, [0xde, 0xad, 0xbe]);
        });
        Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(bytes, out var message));
        var scratch = new byte[32];
        foreach (var avp in message.Avps)
        {
            if (avp.Type == AvpType.AssignedTunnelId)
            {
                Assert.True(avp.IsHidden);
                Assert.Equal(L2tpParseStatus.Ok, avp.TryGetValue(L2tpTestMessages.Secret, scratch, out var value));
                Assert.Equal(L2tpParseStatus.Ok, L2tpAvpValues.TryReadAssignedTunnelId(value, out var id));
                Assert.Equal(0x0102, id);
            }
        }
    }
}
