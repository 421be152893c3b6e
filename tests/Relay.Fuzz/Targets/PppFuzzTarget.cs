using Relay.Wire.Ppp;

namespace Relay.Fuzz.Targets;

/// <summary>
/// PPP as it arrives in an L2TP data payload: frame, then by protocol a control packet with its
/// options and typed values, a CHAP or a PAP packet. Whatever parses is written again with the
/// Relay.Wire writers and must parse the same.
/// </summary>
internal sealed class PppFuzzTarget : IFuzzTarget
{
    public string Name => "ppp";

    public IEnumerable<byte[]> Seeds()
    {
        yield return [0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x13, 0x01, 0x04, 0x05, 0x78, 0x05, 0x06, 0x11, 0x22, 0x33, 0x44, 0x03, 0x05, 0xC2, 0x23, 0x05];
        yield return [0xFF, 0x03, 0xC0, 0x21, 0x01, 0x02, 0x00, 0x0F, 0x02, 0x06, 0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x08, 0x02, 0x04, 0x03, 0x00];
        yield return [0xC0, 0x21, 0x09, 0x04, 0x00, 0x0A, 0x11, 0x22, 0x33, 0x44, 0xAA, 0xBB];
        yield return [0xFF, 0x03, 0xC0, 0x21, 0x08, 0x05, 0x00, 0x0A, 0x80, 0x57, 0x01, 0x01, 0x00, 0x04];
        yield return [0xFF, 0x03, 0x80, 0x21, 0x03, 0x07, 0x00, 0x16, 0x03, 0x06, 0x0A, 0x40, 0x00, 0x05, 0x81, 0x06, 0x01, 0x01, 0x01, 0x01, 0x83, 0x06, 0x08, 0x08, 0x08, 0x08];
        yield return [0xFF, 0x03, 0x80, 0xFD, 0x01, 0x08, 0x00, 0x0E, 0x12, 0x06, 0x01, 0x00, 0x00, 0x40, 0x1A, 0x04, 0x78, 0x00];
        yield return [0xFF, 0x03, 0xC2, 0x23, 0x01, 0x09, 0x00, 0x0D, 0x04, 0x01, 0x02, 0x03, 0x04, 0x72, 0x65, 0x6C, 0x61, 0x79];
        yield return [0xFF, 0x03, 0xC2, 0x23, 0x03, 0x09, 0x00, 0x06, 0x4F, 0x4B];
        yield return [0xFF, 0x03, 0xC0, 0x23, 0x01, 0x0B, 0x00, 0x0C, 0x03, 0x62, 0x6F, 0x62, 0x02, 0x70, 0x77, 0x00];
        yield return [0xFF, 0x03, 0xC0, 0x23, 0x02, 0x0B, 0x00, 0x07, 0x02, 0x6F, 0x6B];
        yield return [0x21, 0x45, 0x00, 0x00, 0x14];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (PppFrame.Parse(input, out var frame) != PppFrameStatus.Ok)
        {
            return;
        }
        CheckFrame(frame);
        switch (frame.Protocol)
        {
            case PppProtocol.Lcp or PppProtocol.Ipcp or PppProtocol.Ccp or PppProtocol.Ipv6cp:
                CheckControl(frame.Protocol, frame.Information);
                break;
            case PppProtocol.Chap:
                CheckChap(frame.Information);
                break;
            case PppProtocol.Pap:
                CheckPap(frame.Information);
                break;
        }
    }

    private static void CheckFrame(PppFrame frame)
    {
        var buffer = new byte[frame.HeaderLength + frame.Information.Length];
        var n = PppFrame.Write(buffer, frame.Protocol, frame.Information, frame.HasAddressControl, frame.IsProtocolCompressed);
        Require(n == buffer.Length, "frame re-serialises to a different length");
        Require(PppFrame.Parse(buffer, out var again) == PppFrameStatus.Ok, "re-serialised frame does not parse");
        Require(again.Protocol == frame.Protocol && again.HasAddressControl == frame.HasAddressControl
            && again.IsProtocolCompressed == frame.IsProtocolCompressed && again.Information.SequenceEqual(frame.Information),
            "re-serialised frame parses differently");
    }

    private static void CheckControl(ushort protocol, ReadOnlySpan<byte> information)
    {
        var status = PppControlPacket.Parse(information, protocol, out var packet);
        if (status is not (PppControlStatus.Ok or PppControlStatus.UnknownCode))
        {
            return;
        }
        var buffer = new byte[packet.Length];
        var writer = new PppControlWriter(buffer, packet.Code, packet.Identifier);
        if (packet.HasOptions && PppOptionReader.Validate(packet.Data) == PppOptionStatus.Ok)
        {
            foreach (var option in packet.Options)
            {
                Require(writer.WriteOption(option.Type, option.Value), "option does not fit again");
                CheckTypedValue(protocol, option);
            }
        }
        else
        {
            var magicStatus = packet.ReadMagic(out var magic, out var rest);
            var rejectStatus = packet.ReadProtocolReject(out var rejected, out var rejectedInfo);
            if (magicStatus == PppControlStatus.Ok)
            {
                writer.WriteUInt32(magic);
                writer.WriteData(rest);
            }
            else if (rejectStatus == PppControlStatus.Ok)
            {
                writer.WriteUInt16(rejected);
                writer.WriteData(rejectedInfo);
            }
            else
            {
                writer.WriteData(packet.Data);
                if (packet.ReadCodeReject(out var rejectedCode, out var rejectedPacket) == PppControlStatus.Ok)
                {
                    Require(rejectedPacket[0] == (byte)rejectedCode && rejectedPacket.Length == packet.Length - PppControlPacket.HeaderLength,
                        "Code-Reject view is inconsistent");
                }
                if (packet.ReadTerminate(out var terminateData) == PppControlStatus.Ok)
                {
                    Require(terminateData.Length == packet.Length - PppControlPacket.HeaderLength, "Terminate view is inconsistent");
                }
            }
        }
        var n = writer.Finish();
        Require(n == packet.Length, "control packet re-serialises to a different length");
        Require(buffer.AsSpan().SequenceEqual(packet.Packet), "control packet re-serialises to different octets");
        Require(PppControlPacket.Parse(buffer, protocol, out _) == status, "re-serialised control packet parses to another status");
    }

    private static void CheckTypedValue(ushort protocol, PppOption option)
    {
        Span<byte> buffer = stackalloc byte[4 + 2 + 255];
        var writer = new PppControlWriter(buffer, PppCode.ConfigureRequest, 0);
        var typed = true;
        if (protocol == PppProtocol.Lcp && option.Type == LcpOption.Mru && option.ReadUInt16(out var mru) == PppOptionStatus.Ok)
        {
            writer.WriteUInt16Option(option.Type, mru);
        }
        else if (((protocol == PppProtocol.Lcp && option.Type is LcpOption.Accm or LcpOption.MagicNumber)
                || (protocol == PppProtocol.Ipcp && option.Type is IpcpOption.IpAddress or >= IpcpOption.PrimaryDns and <= IpcpOption.SecondaryNbns))
            && option.ReadUInt32(out var value) == PppOptionStatus.Ok)
        {
            writer.WriteUInt32Option(option.Type, value);
        }
        else if (protocol == PppProtocol.Lcp && option.Type == LcpOption.AuthenticationProtocol
            && option.ReadAuthentication(out var auth, out var algorithm) == PppOptionStatus.Ok && auth is PppProtocol.Chap or PppProtocol.Pap)
        {
            writer.WriteAuthenticationOption(auth, algorithm);
        }
        else if (option.Type is LcpOption.QualityProtocol or IpcpOption.IpCompressionProtocol
            && option.ReadProtocol(out var p, out var data) == PppOptionStatus.Ok)
        {
            writer.WriteProtocolOption(option.Type, p, data);
        }
        else if (protocol == PppProtocol.Lcp && option.Type is LcpOption.ProtocolFieldCompression or LcpOption.AddressControlFieldCompression && option.IsFlag)
        {
            writer.WriteFlagOption(option.Type);
        }
        else
        {
            typed = false;
        }
        if (!typed)
        {
            return;
        }
        var n = writer.Finish();
        var written = buffer[PppControlPacket.HeaderLength..n];
        Require(written.Length == option.Length && written[0] == option.Type && written[1] == option.Length && written[2..].SequenceEqual(option.Value),
            $"typed value of option {option.Type} re-serialises differently");
    }

    private static void CheckChap(ReadOnlySpan<byte> information)
    {
        if (ChapPacket.Parse(information, out var packet) != ChapStatus.Ok)
        {
            return;
        }
        var buffer = new byte[packet.Packet.Length];
        var n = packet.Code is ChapCode.Challenge or ChapCode.Response
            ? ChapPacket.WriteChallenge(buffer, packet.Code, packet.Identifier, packet.Value, packet.Name)
            : ChapPacket.WriteResult(buffer, packet.Code, packet.Identifier, packet.Message);
        Require(n == buffer.Length && buffer.AsSpan().SequenceEqual(packet.Packet), "CHAP packet re-serialises differently");
    }

    private static void CheckPap(ReadOnlySpan<byte> information)
    {
        if (PapPacket.Parse(information, out var packet) != PapStatus.Ok)
        {
            return;
        }
        var buffer = new byte[4 + 2 + 255 + 255];
        var n = packet.Code == PapCode.AuthenticateRequest
            ? PapPacket.WriteRequest(buffer, packet.Identifier, packet.PeerId, packet.Password)
            : PapPacket.WriteResult(buffer, packet.Code, packet.Identifier, packet.Message);
        Require(n > 0, "PAP packet cannot be written again");
        Require(PapPacket.Parse(buffer.AsSpan(0, n), out var again) == PapStatus.Ok, "re-serialised PAP packet does not parse");
        Require(again.Code == packet.Code && again.Identifier == packet.Identifier && again.PeerId.SequenceEqual(packet.PeerId)
            && again.Password.SequenceEqual(packet.Password) && again.Message.SequenceEqual(packet.Message),
            "re-serialised PAP packet parses differently");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
