namespace Relay.Control.Ppp.Authentication;

/// <summary>Result of <see cref="MsChapV2.ParseResponseValue"/>.</summary>
public enum MsChapV2ResponseStatus
{
    Ok,

    /// <summary>The CHAP Value is not 49 octets (RFC 2759 §4).</summary>
    WrongLength,
}
