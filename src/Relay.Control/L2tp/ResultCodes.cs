namespace Relay.Control.L2tp;

/// <summary>Result and error codes of the Result Code AVP (RFC 2661 §4.4.2).</summary>
public static class ResultCodes
{
    // StopCCN result codes
    public const ushort StopGeneralRequest = 1;
    public const ushort StopGeneralError = 2;
    public const ushort StopChannelExists = 3;
    public const ushort StopNotAuthorized = 4;
    public const ushort StopUnsupportedVersion = 5;
    public const ushort StopShuttingDown = 6;
    public const ushort StopFsmError = 7;

    // CDN result codes
    public const ushort CdnLostCarrier = 1;
    public const ushort CdnGeneralError = 2;
    public const ushort CdnAdministrative = 3;
    public const ushort CdnNoFacilitiesTemporarily = 4;
    public const ushort CdnNoFacilitiesPermanently = 5;
    public const ushort CdnInvalidDestination = 6;
    public const ushort CdnTimeout = 10;

    // General error codes
    public const ushort ErrorNone = 0;
    public const ushort ErrorNoControlConnection = 1;
    public const ushort ErrorLengthWrong = 2;
    public const ushort ErrorFieldOutOfRange = 3;
    public const ushort ErrorInsufficientResources = 4;
    public const ushort ErrorInvalidSessionId = 5;
    public const ushort ErrorVendorSpecific = 6;
    public const ushort ErrorTryAnother = 7;
    public const ushort ErrorUnknownMandatoryAvp = 8;

    /// <summary>Largest result code defined for StopCCN; a larger one may be a byte-swapped peer.</summary>
    public const ushort MaxStopResult = 7;

    /// <summary>Largest result code defined for CDN.</summary>
    public const ushort MaxCdnResult = 11;
}
