namespace Relay.Wire.L2tp;

/// <summary>How this implementation classifies an AVP it has framed (RFC 2661 §4.1).</summary>
public enum L2tpAvpKind : byte
{
    /// <summary>Vendor ID 0, an attribute type RFC 2661 defines, no reserved bit set.</summary>
    Known = 0,
    /// <summary>Non-zero Vendor ID: a vendor extension this layer does not interpret.</summary>
    Vendor,
    /// <summary>IETF AVP not recognised (undefined type or a reserved bit set), M=0: ignore it.</summary>
    UnknownOptional,
    /// <summary>IETF AVP not recognised, M=1: the session or tunnel MUST be torn down (§4.1).</summary>
    UnknownMandatory,
}
