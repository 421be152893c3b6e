namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// The 49-octet MS-CHAPv2 Response Value (RFC 2759 §4): Peer-Challenge (16), Reserved (8),
/// NT-Response (24), Flags (1). A view over the caller's octets.
/// </summary>
public readonly ref struct MsChapV2ResponseValue
{
    internal const int NtResponseOffset = MsChapV2.ChallengeLength + 8;

    private readonly ReadOnlySpan<byte> _value;

    internal MsChapV2ResponseValue(ReadOnlySpan<byte> value) => _value = value;

    public ReadOnlySpan<byte> PeerChallenge => _value[..MsChapV2.ChallengeLength];

    public ReadOnlySpan<byte> NtResponse => _value.Slice(NtResponseOffset, MsChapV2.NtResponseLength);

    /// <summary>Reserved, "MUST be zero" (§4); not checked.</summary>
    public byte Flags => _value[MsChapV2.ResponseValueLength - 1];
}
