using System.Globalization;
using Relay.Testing;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>One L2TP control message (or ZLB) as Wireshark's dissector read it from a capture.</summary>
internal sealed record CapturedL2tp(
    int Frame, string Source, int? MessageType, ushort Ns, ushort Nr, ushort TunnelId,
    bool HasChallenge, bool HasChallengeResponse, string ResultCode, string ErrorCode)
{
    // RFC 2661 §3.2 message types, for readable assertions.
    public const int Sccrq = 1, Sccrp = 2, Scccn = 3, StopCcn = 4, Hello = 6, Icrq = 10, Icrp = 11, Iccn = 12, Cdn = 14;

    public bool IsZlb => MessageType is null;

    /// <summary>Dissects the capture with tshark (which fails on malformed packets and expert warnings) and keeps the control messages.</summary>
    public static IReadOnlyList<CapturedL2tp> Read(string pcap)
    {
        var rows = TShark.Dissect(pcap, "ip.src", "l2tp.type", "l2tp.avp.message_type", "l2tp.Ns", "l2tp.Nr", "l2tp.tunnel",
            "l2tp.avp.chap_challenge", "l2tp.avp.chap_challenge_response", "l2tp.result_code", "l2tp.avp.error_code");
        var messages = new List<CapturedL2tp>();
        foreach (var row in rows)
        {
            if (row["l2tp.type"] is not ("1" or "True") || row["l2tp.Ns"].Length == 0)
            {
                continue; // not L2TP, or a data message
            }
            messages.Add(new CapturedL2tp(
                int.Parse(row["frame.number"], CultureInfo.InvariantCulture),
                row["ip.src"],
                row["l2tp.avp.message_type"] is { Length: > 0 } type ? int.Parse(type, CultureInfo.InvariantCulture) : null,
                ushort.Parse(row["l2tp.Ns"], CultureInfo.InvariantCulture),
                ushort.Parse(row["l2tp.Nr"], CultureInfo.InvariantCulture),
                ushort.Parse(row["l2tp.tunnel"], CultureInfo.InvariantCulture),
                row["l2tp.avp.chap_challenge"].Length > 0,
                row["l2tp.avp.chap_challenge_response"].Length > 0,
                row["l2tp.result_code"],
                row["l2tp.avp.error_code"]));
        }
        return messages;
    }

    /// <summary>First transmissions only (retransmissions repeat source, type and Ns), ZLBs left out.</summary>
    public static IReadOnlyList<CapturedL2tp> Distinct(IEnumerable<CapturedL2tp> messages)
        => messages.Where(m => !m.IsZlb).DistinctBy(m => (m.Source, m.MessageType, m.Ns)).ToList();

    public override string ToString()
        => $"#{Frame} {Source} {(IsZlb ? "ZLB" : $"type {MessageType}")} Ns={Ns} Nr={Nr} tunnel={TunnelId}" +
           $"{(HasChallenge ? " challenge" : "")}{(HasChallengeResponse ? " response" : "")}{(ResultCode.Length > 0 ? $" result {ResultCode}/{ErrorCode}" : "")}";
}
