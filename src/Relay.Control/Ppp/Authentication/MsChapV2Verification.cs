namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// What the authenticator answers a Response with: on success the Success message
/// (<c>S=... M=...</c>, RFC 2759 §5) and the matched credential, else the Failure message
/// (<c>E=691 R=0 C=... V=3 M=...</c>, §6). <see cref="Message"/> is the CHAP Message field.
/// </summary>
public sealed class MsChapV2Verification
{
    internal MsChapV2Verification(MsChapV2Outcome outcome, byte[] message, PppCredential? credential)
    {
        Outcome = outcome;
        Message = message;
        Credential = credential;
    }

    public MsChapV2Outcome Outcome { get; }

    public bool IsSuccess => Outcome == MsChapV2Outcome.Success;

    /// <summary>Message field of the CHAP Success (code 3) or Failure (code 4) packet to send.</summary>
    public byte[] Message { get; }

    /// <summary>The credential that matched (for its addresses); null unless the verification went through a credential store and succeeded.</summary>
    public PppCredential? Credential { get; }
}
