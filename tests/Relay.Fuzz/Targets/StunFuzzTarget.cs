using Relay.Wire.Stun;

namespace Relay.Fuzz.Targets;

/// <summary>
/// STUN parser under fuzz: any input must parse without throwing; an accepted Binding request must yield a
/// response that parses as a success response with the same transaction id and the reported address.
/// </summary>
internal sealed class StunFuzzTarget : IFuzzTarget
{
    private static readonly byte[] Address = [198, 51, 100, 7];
    private readonly byte[] _response = new byte[StunResponseWriter.MaxSuccessLength];

    public string Name => "stun";

    public IEnumerable<byte[]> Seeds()
    {
        // RFC 5769 §2.1 sample request.
        yield return Convert.FromHexString(
            "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74" +
            "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020" +
            "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");
        // Debian stun-client 0.97 (RFC 3489) test 1.
        yield return Convert.FromHexString("00010008015a390e1974e3661b54d932c129d7300003000400000000");
        // Bare RFC 5389 Binding request.
        yield return Convert.FromHexString("000100002112a442000102030405060708090a0b");
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var status = StunMessage.Parse(input, out var request);
        foreach (var _ in request.Attributes)
        {
        }
        if (status != StunParseStatus.Ok || !request.IsBindingRequest)
        {
            return;
        }
        var write = StunResponseWriter.WriteBindingSuccess(_response, request, Address, 4242, "fuzz"u8, out var written);
        if (write != StunWriteStatus.Ok)
        {
            throw new FuzzInvariantException($"writing the response failed: {write}");
        }
        var parsed = StunMessage.Parse(_response.AsSpan(0, written), out var response);
        if (parsed != StunParseStatus.Ok || response.Class != StunMessageClass.SuccessResponse || response.Method != (ushort)StunMethod.Binding)
        {
            throw new FuzzInvariantException($"response does not parse as a Binding success: {parsed} {response.Class}");
        }
        if (!response.TransactionId.SequenceEqual(request.TransactionId) || response.IsRfc3489 != request.IsRfc3489)
        {
            throw new FuzzInvariantException("response transaction id differs from the request's");
        }
        Span<byte> mapped = stackalloc byte[16];
        var type = request.IsRfc3489 ? StunAttributeType.MappedAddress : StunAttributeType.XorMappedAddress;
        if (!response.TryGetAddress(type, mapped, out var length, out var port) || !mapped[..length].SequenceEqual(Address) || port != 4242)
        {
            throw new FuzzInvariantException($"response does not report the source address in {type}");
        }
    }
}
