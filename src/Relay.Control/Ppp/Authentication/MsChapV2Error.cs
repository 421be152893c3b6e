namespace Relay.Control.Ppp.Authentication;

/// <summary>Error codes of the MS-CHAPv2 Failure message (RFC 2759 §6, "E=").</summary>
public static class MsChapV2Error
{
    public const int RestrictedLogonHours = 646;
    public const int AccountDisabled = 647;
    public const int PasswordExpired = 648;
    public const int NoDialInPermission = 649;
    public const int AuthenticationFailure = 691;
    public const int ChangingPassword = 709;
}
