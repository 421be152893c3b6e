namespace Relay.Wire.L2tp;

/// <summary>
/// One framed AVP (RFC 2661 §4.1) as <see cref="L2tpAvpReader"/> yields it. <see cref="RawValue"/>
/// is the Attribute Value as on the wire (ciphertext when <see cref="IsHidden"/>);
/// <see cref="TryGetValue"/> returns the clear value either way.
/// </summary>
public readonly ref struct L2tpAvp
{
    internal const byte MandatoryBit = 0x80;
    internal const byte HiddenBit = 0x40;
    internal const byte ReservedBits = 0x3c;

    private readonly byte _bits;

    internal L2tpAvp(byte bits, ushort length, ushort vendorId, ushort attributeType, ReadOnlySpan<byte> rawValue,
        ReadOnlySpan<byte> randomVector, bool hasRandomVector)
    {
        _bits = bits;
        Length = length;
        VendorId = vendorId;
        AttributeType = attributeType;
        RawValue = rawValue;
        RandomVector = randomVector;
        HasRandomVector = hasRandomVector;
    }

    /// <summary>M: an unrecognised AVP with this bit set tears down the session or tunnel (§4.1).</summary>
    public bool IsMandatory => (_bits & MandatoryBit) != 0;

    /// <summary>H: the value is hidden (§4.3).</summary>
    public bool IsHidden => (_bits & HiddenBit) != 0;

    /// <summary>A reserved header bit is set; §4.1 says to treat the AVP as unrecognised.</summary>
    public bool HasReservedBits => (_bits & ReservedBits) != 0;

    /// <summary>The AVP Length field: 6 plus the (possibly hidden) value length.</summary>
    public ushort Length { get; }

    public ushort VendorId { get; }

    /// <summary>The attribute type as received; meaningful as <see cref="AvpType"/> only for Vendor ID 0.</summary>
    public ushort AttributeType { get; }

    /// <summary><see cref="AttributeType"/> as an IETF type. Check <see cref="Kind"/> first.</summary>
    public AvpType Type => (AvpType)AttributeType;

    public ReadOnlySpan<byte> RawValue { get; }

    /// <summary>The value of the last Random Vector AVP before this one in the message (§4.3).</summary>
    public ReadOnlySpan<byte> RandomVector { get; }

    public bool HasRandomVector { get; }

    public L2tpAvpKind Kind => Classify(_bits, VendorId, AttributeType);

    /// <summary>True when §4.1 requires the receiver to tear down: not recognised and M=1.</summary>
    public bool IsUnrecognizedMandatory => IsMandatory && Kind != L2tpAvpKind.Known;

    /// <summary>
    /// The clear Attribute Value: <see cref="RawValue"/> itself when not hidden, else the value
    /// unhidden with <paramref name="secret"/> and this AVP's Random Vector into
    /// <paramref name="scratch"/> (at least <c>RawValue.Length - 2</c> octets suffice).
    /// </summary>
    public L2tpParseStatus TryGetValue(ReadOnlySpan<byte> secret, Span<byte> scratch, out ReadOnlySpan<byte> value)
    {
        if (!IsHidden)
        {
            value = RawValue;
            return L2tpParseStatus.Ok;
        }
        value = default;
        if (!HasRandomVector)
        {
            return L2tpParseStatus.HiddenAvpWithoutRandomVector;
        }
        var status = HiddenAvpCipher.TryUnhide(AttributeType, secret, RandomVector, RawValue, scratch, out var length);
        if (status == L2tpParseStatus.Ok)
        {
            value = scratch[..length];
        }
        return status;
    }

    internal static L2tpAvpKind Classify(byte bits, ushort vendorId, ushort attributeType)
    {
        if (vendorId != 0)
        {
            return L2tpAvpKind.Vendor;
        }
        var known = (bits & ReservedBits) == 0 && attributeType <= (ushort)AvpType.SequencingRequired && attributeType != 20;
        if (known)
        {
            return L2tpAvpKind.Known;
        }
        return (bits & MandatoryBit) != 0 ? L2tpAvpKind.UnknownMandatory : L2tpAvpKind.UnknownOptional;
    }
}
