using System.Buffers.Binary;
using System.Text;
using Relay.Wire.Stun;

namespace Relay.Server.Stun;

/// <summary>
/// Decides, for one received datagram, whether to answer and writes the answer (sans-I/O: no socket,
/// no allocation). RFC 5389 §7.3 and §12.2 (RFC 3489 clients).
/// </summary>
internal static class StunResponder
{
    /// <summary>Buffer size that holds any response this class writes.</summary>
    public const int MaxResponseLength = StunResponseWriter.MaxSuccessLength;

    private const int MaxUnknownListed = 16;

    /// <summary>Sent in SOFTWARE (§15.10).</summary>
    public static ReadOnlySpan<byte> Software => "relayd 0.1.0"u8;

    /// <summary>Comprehension-required attributes understood in a Binding request.</summary>
    private static ReadOnlySpan<ushort> Understood => [(ushort)StunAttributeType.ChangeRequest];

    public static StunOutcome Handle(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> sourceAddress, ushort sourcePort,
        Span<byte> response, out int written)
    {
        written = 0;
        if (sourcePort == 0)
        {
            return StunOutcome.DroppedSourcePortZero;
        }
        var status = StunMessage.Parse(datagram, out var request);
        if (!status.HeaderIsValid())
        {
            return StunOutcome.DroppedMalformed;
        }
        // §7.3: only requests get answers; an erroneous indication or a response is dropped.
        if (request.Class != StunMessageClass.Request)
        {
            return StunOutcome.DroppedNotRequest;
        }
        if (status.IsFingerprintFailure())
        {
            return StunOutcome.DroppedBadFingerprint;
        }
        if (status != StunParseStatus.Ok)
        {
            return Error(request, 400, "Malformed attribute"u8, [], response, out written, StunOutcome.RejectedMalformed);
        }
        if (request.Method != (ushort)StunMethod.Binding)
        {
            return Error(request, 400, "Unsupported method"u8, [], response, out written, StunOutcome.RejectedUnknownMethod);
        }
        Span<ushort> unknown = stackalloc ushort[MaxUnknownListed];
        var count = request.CollectUnknownComprehensionRequired(Understood, unknown);
        if (count > 0)
        {
            return Error(request, 420, "Unknown Attribute"u8, unknown[..count], response, out written, StunOutcome.RejectedUnknownAttribute);
        }
        if (request.TryGetAttribute(StunAttributeType.ChangeRequest, out var change))
        {
            if (change.Length != 4)
            {
                return Error(request, 400, "Malformed CHANGE-REQUEST"u8, [], response, out written, StunOutcome.RejectedMalformed);
            }
            // RFC 3489 §11.2.4 flags: 0x4 change IP, 0x2 change port. Without an alternate address the
            // attribute can only be honoured with both flags clear; otherwise the server answers 420
            // naming it (the behaviour RFC 5780 prescribes for a server with no alternate address).
            if ((BinaryPrimitives.ReadUInt32BigEndian(change) & 0x6) != 0)
            {
                ReadOnlySpan<ushort> changeRequest = [(ushort)StunAttributeType.ChangeRequest];
                return Error(request, 420, "Unknown Attribute"u8, changeRequest, response, out written, StunOutcome.RejectedChangeRequest);
            }
        }
        // §12.2 / §15.1: an IPv4-mapped IPv6 source (dual-stack socket) is reported as the IPv4 address.
        if (sourceAddress.Length == 16 && IsV4Mapped(sourceAddress))
        {
            sourceAddress = sourceAddress[12..];
        }
        var result = StunResponseWriter.WriteBindingSuccess(response, request, sourceAddress, sourcePort, Software, out written);
        return result switch
        {
            StunWriteStatus.Ok => StunOutcome.Answered,
            _ => StunOutcome.DroppedUnsupportedAddress,
        };
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> a)
        => a[..10].IndexOfAnyExcept((byte)0) < 0 && a[10] == 0xFF && a[11] == 0xFF;

    private static StunOutcome Error(StunMessage request, int code, ReadOnlySpan<byte> reason, ReadOnlySpan<ushort> unknown,
        Span<byte> response, out int written, StunOutcome outcome)
        => StunResponseWriter.WriteError(response, request, code, reason, unknown, Software, out written) == StunWriteStatus.Ok
            ? outcome
            : StunOutcome.DroppedMalformed;

    /// <summary>For logs: the UTF-8 SOFTWARE value as text.</summary>
    public static string SoftwareText => Encoding.UTF8.GetString(Software);
}
