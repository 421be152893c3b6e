using Relay.Testing;
using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

/// <summary>Wireshark's L2TP dissector as an independent judge of what the writers produce.</summary>
public sealed class L2tpTSharkTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"relay-l2tp-{Guid.NewGuid():N}.pcap");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Tshark_reads_one_control_message_of_every_type_without_complaint()
    {
        var messages = L2tpTestMessages.OneOfEveryType().ToList();
        // Plus hidden AVPs (§4.3) and a vendor AVP, which the dissector must frame without the secret.
        messages.Add((L2tpMessageType.Iccn, L2tpTestMessages.Build(L2tpMessageType.Iccn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt32(AvpType.TxConnectSpeed, 10_000_000, mandatory: true);
            w.WriteUInt32(AvpType.FramingType, (uint)L2tpFramingBits.Synchronous, mandatory: true);
            w.WriteRandomVector(L2tpTestMessages.RandomVector);
            w.WriteUInt16(AvpType.ProxyAuthenType, (ushort)L2tpProxyAuthenType.Pap, mandatory: false);
            w.WriteHidden(AvpType.ProxyAuthenName, "alice"u8, mandatory: false, L2tpTestMessages.Secret, [1, 2, 3, 4]);
            w.WriteProxyAuthenId(1);
            w.WriteHidden(AvpType.ProxyAuthenResponse, "correct horse battery staple"u8, mandatory: true, L2tpTestMessages.Secret);
            // A vendor AVP Wireshark can decode (Cisco, 9: Assigned Connection ID); on vendor data it
            // cannot decode it raises an "Undecoded" warning, which would say nothing about us.
            w.WriteAvp(1, [0, 0, 0, 7], mandatory: false, vendorId: 9);
        }, sessionId: 44)));
        using (var pcap = new PcapFile(_path))
        {
            foreach (var (_, message) in messages)
            {
                pcap.WriteUdp(message, 1701, 1701);
            }
        }

        var rows = TShark.Dissect(_path, "l2tp.type", "l2tp.length", "l2tp.tunnel", "l2tp.session", "l2tp.Ns", "l2tp.Nr",
            "l2tp.avp.message_type", "l2tp.avp.type", "l2tp.avp.vendor_id", "l2tp.avp.mandatory", "l2tp.avp.hidden", "l2tp.avp.length");

        Assert.Equal(messages.Count, rows.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var (type, message) = messages[i];
            Assert.Equal(L2tpParseStatus.Ok, L2tpControlMessage.TryParse(message, out var parsed));
            var row = rows[i];
            Assert.Equal("1", row["l2tp.type"]);
            Assert.Equal(message.Length.ToString(), row["l2tp.length"]);
            Assert.Equal(parsed.Header.TunnelId.ToString(), row["l2tp.tunnel"]);
            Assert.Equal(parsed.Header.SessionId.ToString(), row["l2tp.session"]);
            Assert.Equal(parsed.Header.Ns.ToString(), row["l2tp.Ns"]);
            Assert.Equal(parsed.Header.Nr.ToString(), row["l2tp.Nr"]);
            Assert.Equal(((int)type).ToString(), row["l2tp.avp.message_type"]);
            // Wireshark shows only M, H and Length of a hidden AVP, and files vendor attribute
            // types under vendor-specific fields, so compare each field on the AVPs it covers.
            var types = new List<string>();
            var vendors = new List<string>();
            var mandatory = new List<string>();
            var hidden = new List<string>();
            var lengths = new List<string>();
            foreach (var avp in parsed.Avps)
            {
                if (!avp.IsHidden)
                {
                    vendors.Add(avp.VendorId.ToString());
                    if (avp.VendorId == 0)
                    {
                        types.Add(avp.AttributeType.ToString());
                    }
                }
                mandatory.Add(avp.IsMandatory ? "1" : "0");
                hidden.Add(avp.IsHidden ? "1" : "0");
                lengths.Add(avp.Length.ToString());
            }
            Assert.Equal(string.Join(",", types), row["l2tp.avp.type"]);
            Assert.Equal(string.Join(",", vendors), row["l2tp.avp.vendor_id"]);
            Assert.Equal(string.Join(",", mandatory), Bits(row["l2tp.avp.mandatory"]));
            Assert.Equal(string.Join(",", hidden), Bits(row["l2tp.avp.hidden"]));
            Assert.Equal(string.Join(",", lengths), row["l2tp.avp.length"]);
        }
    }

    // tshark prints booleans as 1/0 or True/False depending on its version.
    private static string Bits(string field) => field.Replace("True", "1").Replace("False", "0");

    [Fact]
    public void Tshark_reads_data_messages_of_every_header_shape_carrying_a_ppp_frame()
    {
        var shapes = new List<L2tpHeader>();
        for (var bits = 0; bits < 16; bits++)
        {
            var flags = L2tpHeaderFlags.None;
            flags |= (bits & 1) != 0 ? L2tpHeaderFlags.Length : 0;
            flags |= (bits & 2) != 0 ? L2tpHeaderFlags.Sequence : 0;
            flags |= (bits & 4) != 0 ? L2tpHeaderFlags.Offset : 0;
            flags |= (bits & 8) != 0 ? L2tpHeaderFlags.Priority : 0;
            shapes.Add(new L2tpHeader
            {
                Flags = flags,
                TunnelId = (ushort)(100 + bits),
                SessionId = (ushort)(200 + bits),
                Ns = (ushort)(300 + bits),
                OffsetSize = (ushort)((flags & L2tpHeaderFlags.Offset) != 0 ? bits % 3 * 2 : 0),
            });
        }
        using (var pcap = new PcapFile(_path))
        {
            foreach (var shape in shapes)
            {
                var buffer = new byte[64];
                Assert.True(shape.TryWrite(buffer, L2tpTestMessages.LcpEchoRequest.Length, out var headerLength));
                L2tpTestMessages.LcpEchoRequest.CopyTo(buffer, headerLength);
                pcap.WriteUdp(buffer.AsSpan(0, headerLength + L2tpTestMessages.LcpEchoRequest.Length), 1701, 1701);
            }
        }

        var rows = TShark.Dissect(_path, "l2tp.type", "l2tp.length_bit", "l2tp.seq_bit", "l2tp.offset_bit", "l2tp.priority",
            "l2tp.tunnel", "l2tp.session", "l2tp.Ns", "l2tp.offset", "ppp.protocol", "ppp.code", "lcp.magic_number");

        Assert.Equal(shapes.Count, rows.Count);
        for (var i = 0; i < shapes.Count; i++)
        {
            var (shape, row) = (shapes[i], rows[i]);
            Assert.Equal(shape.TunnelId.ToString(), row["l2tp.tunnel"]);
            Assert.Equal(shape.SessionId.ToString(), row["l2tp.session"]);
            Assert.Equal(shape.HasSequence ? shape.Ns.ToString() : "", row["l2tp.Ns"]);
            Assert.Equal(shape.HasOffset ? shape.OffsetSize.ToString() : "", row["l2tp.offset"]);
            Assert.Equal("0xc021", row["ppp.protocol"]);
            Assert.Equal("9", row["ppp.code"]); // Echo-Request
            Assert.Equal("0x12345678", row["lcp.magic_number"]);
        }
    }
}
