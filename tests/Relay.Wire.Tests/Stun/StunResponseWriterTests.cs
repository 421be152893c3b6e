using System.Net;
using CsCheck;
using Relay.Testing;
using Relay.Wire.Stun;

namespace Relay.Wire.Tests.Stun;

public class StunResponseWriterTests
{
    private static readonly byte[] Software = "relayd test"u8.ToArray();

    [Fact]
    public void Success_round_trips_for_any_transaction_address_and_port()
    {
        Gen.Select(Gen.Byte.Array[16], Gen.Bool, Gen.Byte.Array[4], Gen.Byte.Array[16], Gen.Bool, Gen.UShort[1, ushort.MaxValue])
            .Sample(t =>
            {
                var (id, rfc3489, v4, v6, useV6, port) = t;
                var request = StunTestMessages.Request(id, rfc3489: rfc3489);
                Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(request, out var parsed));
                var address = useV6 ? v6 : v4;
                var buffer = new byte[StunResponseWriter.MaxSuccessLength];
                Assert.Equal(StunWriteStatus.Ok, StunResponseWriter.WriteBindingSuccess(buffer, parsed, address, port, Software, out var written));
                Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(buffer.AsSpan(0, written), out var response));
                Assert.Equal(StunMessageClass.SuccessResponse, response.Class);
                Assert.Equal(rfc3489, response.IsRfc3489);
                Assert.Equal(!rfc3489, response.HasFingerprint);
                Assert.Equal(parsed.TransactionId.ToArray(), response.TransactionId.ToArray());
                Span<byte> decoded = stackalloc byte[16];
                Assert.True(response.TryGetAddress(StunAttributeType.MappedAddress, decoded, out var length, out var decodedPort));
                Assert.Equal(address, decoded[..length].ToArray());
                Assert.Equal(port, decodedPort);
                Assert.Equal(!rfc3489, response.TryGetAddress(StunAttributeType.XorMappedAddress, decoded, out length, out decodedPort));
                if (!rfc3489)
                {
                    Assert.Equal(address, decoded[..length].ToArray());
                    Assert.Equal(port, decodedPort);
                }
            });
    }

    [Fact]
    public void Error_420_lists_unknown_attributes_padded_per_rfc()
    {
        Gen.Select(Gen.Byte.Array[16], Gen.Bool, Gen.UShort[0, 0x7FFF].Array[1, 6]).Sample(t =>
        {
            var (id, rfc3489, unknown) = t;
            StunMessage.Parse(StunTestMessages.Request(id, rfc3489: rfc3489), out var parsed);
            var buffer = new byte[1024];
            Assert.Equal(StunWriteStatus.Ok, StunResponseWriter.WriteError(buffer, parsed, 420, "Unknown Attribute"u8, unknown, Software, out var written));
            Assert.Equal(StunParseStatus.Ok, StunMessage.Parse(buffer.AsSpan(0, written), out var response));
            Assert.Equal(StunMessageClass.ErrorResponse, response.Class);
            Assert.True(response.TryGetErrorCode(out var code, out var reason));
            Assert.Equal(420, code);
            Assert.Equal("Unknown Attribute", System.Text.Encoding.UTF8.GetString(reason));
            Assert.True(response.TryGetAttribute(StunAttributeType.UnknownAttributes, out var list));
            // RFC 3489 §11.2.10 repeats one attribute to make the count even; RFC 5389 pads with zeros instead.
            var expectedLength = 2 * unknown.Length + (rfc3489 && unknown.Length % 2 == 1 ? 2 : 0);
            Assert.Equal(expectedLength, list.Length);
            for (var i = 0; i < unknown.Length; i++)
            {
                Assert.Equal(unknown[i], (ushort)(list[2 * i] << 8 | list[2 * i + 1]));
            }
        });
    }

    [Fact]
    public void Writer_refuses_bad_arguments_without_throwing()
    {
        StunMessage.Parse(StunTestMessages.Request(new byte[16]), out var parsed);
        var buffer = new byte[200];
        Assert.Equal(StunWriteStatus.InvalidAddressLength, StunResponseWriter.WriteBindingSuccess(buffer, parsed, new byte[5], 1, default, out _));
        Assert.Equal(StunWriteStatus.DestinationTooSmall, StunResponseWriter.WriteBindingSuccess(buffer.AsSpan(0, 40), parsed, new byte[4], 1, default, out _));
        Assert.Equal(StunWriteStatus.InvalidErrorCode, StunResponseWriter.WriteError(buffer, parsed, 200, default, default, default, out _));
        Assert.Equal(StunWriteStatus.TextTooLong, StunResponseWriter.WriteError(buffer, parsed, 400, new byte[764], default, default, out _));
        Assert.Equal(StunWriteStatus.InvalidRequest, StunResponseWriter.WriteBindingSuccess(buffer, default, new byte[4], 1, default, out _));
    }

    [Fact]
    public void Success_response_writes_no_allocation()
    {
        var request = StunTestMessages.Request(new byte[12]);
        var buffer = new byte[StunResponseWriter.MaxSuccessLength];
        var address = new byte[16];
        Write(request, buffer, address);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Write(request, buffer, address);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());

        static void Write(byte[] request, byte[] buffer, byte[] address)
        {
            StunMessage.Parse(request, out var parsed);
            StunResponseWriter.WriteBindingSuccess(buffer, parsed, address, 3478, "x"u8, out _);
        }
    }

    [Fact]
    public void Tshark_dissects_requests_and_responses_without_complaint()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stun-{Guid.NewGuid():N}.pcap");
        try
        {
            using (var pcap = new PcapFile(path))
            {
                var id = Convert.FromHexString("a1a2a3a4a5a6a7a8a9aaabac");
                var request = StunTestMessages.Request(id, fingerprint: true, attributes: ((ushort)StunAttributeType.Software, "client"u8.ToArray()));
                pcap.WriteUdp(request, 40000, 3478);
                StunMessage.Parse(request, out var parsed);
                var buffer = new byte[1024];
                StunResponseWriter.WriteBindingSuccess(buffer, parsed, IPAddress.Parse("192.0.2.1").GetAddressBytes(), 40000, Software, out var written);
                pcap.WriteUdp(buffer.AsSpan(0, written), 3478, 40000, "198.51.100.1", "192.0.2.1");
                StunResponseWriter.WriteBindingSuccess(buffer, parsed, IPAddress.Parse("2001:db8::5").GetAddressBytes(), 40001, Software, out written);
                pcap.WriteUdp(buffer.AsSpan(0, written), 3478, 40000, "198.51.100.1", "192.0.2.1");
                StunResponseWriter.WriteError(buffer, parsed, 420, "Unknown Attribute"u8, [0x0024, 0x0006, 0x0008], Software, out written);
                pcap.WriteUdp(buffer.AsSpan(0, written), 3478, 40000, "198.51.100.1", "192.0.2.1");
                StunResponseWriter.WriteError(buffer, parsed, 400, "Bad Request"u8, [], Software, out written);
                pcap.WriteUdp(buffer.AsSpan(0, written), 3478, 40000, "198.51.100.1", "192.0.2.1");
            }
            var rows = TShark.Dissect(path, "stun.type", "stun.id", "stun.att.ipv4", "stun.att.ipv6", "stun.att.port", "stun.att.crc32.status", "stun.att.error", "stun.att.unknown");
            Assert.Equal(5, rows.Count);
            Assert.Equal("0x0001", rows[0]["stun.type"]);
            Assert.Equal("0x0101", rows[1]["stun.type"]);
            Assert.Equal("192.0.2.1,192.0.2.1", rows[1]["stun.att.ipv4"]);
            Assert.Equal("40000,40000", rows[1]["stun.att.port"]);
            Assert.Equal("2001:db8::5,2001:db8::5", rows[2]["stun.att.ipv6"]);
            Assert.Equal("0x0111", rows[3]["stun.type"]);
            Assert.Equal("20", rows[3]["stun.att.error"]);
            Assert.Equal("0x0024,0x0006,0x0008", rows[3]["stun.att.unknown"]);
            Assert.All(rows, r => Assert.Equal("a1a2a3a4a5a6a7a8a9aaabac", r["stun.id"]));
            Assert.All(rows, r => Assert.Equal("1", r["stun.att.crc32.status"]));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
