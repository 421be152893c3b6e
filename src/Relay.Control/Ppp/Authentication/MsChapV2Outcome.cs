namespace Relay.Control.Ppp.Authentication;

/// <summary>Why an MS-CHAPv2 verification ended as it did; the peer only ever sees E=691 on failure.</summary>
public enum MsChapV2Outcome
{
    Success,

    /// <summary>The Response Value was not 49 octets (RFC 2759 §4).</summary>
    MalformedResponse,

    /// <summary>No credential for this user name and server (or the name is not UTF-8).</summary>
    UnknownUser,

    /// <summary>The NT-Response does not match the stored password.</summary>
    WrongResponse,
}
