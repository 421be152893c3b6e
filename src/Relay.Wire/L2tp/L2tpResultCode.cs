namespace Relay.Wire.L2tp;

/// <summary>
/// Result Code AVP value (RFC 2661 §4.4.2): a result, then optionally an error code, then
/// optionally a UTF-8 message, presence given by the AVP length.
/// </summary>
public readonly ref struct L2tpResultCode
{
    public L2tpResultCode(ushort result, ushort? errorCode, ReadOnlySpan<byte> errorMessage)
    {
        Result = result;
        HasErrorCode = errorCode.HasValue;
        ErrorCode = errorCode.GetValueOrDefault();
        ErrorMessage = errorMessage;
    }

    /// <summary>Meaning depends on the message: StopCCN codes 0–7, CDN codes 0–11.</summary>
    public ushort Result { get; }

    public bool HasErrorCode { get; }

    /// <summary>General error code 0–8 (§4.4.2); zero when <see cref="HasErrorCode"/> is false.</summary>
    public ushort ErrorCode { get; }

    /// <summary>Human readable UTF-8 text; empty when absent.</summary>
    public ReadOnlySpan<byte> ErrorMessage { get; }
}
