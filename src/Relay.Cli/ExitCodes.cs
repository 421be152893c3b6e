namespace Relay.Cli;

/// <summary>relayctl's exit codes (sysexits.h where one fits), listed in --help.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>relayd refused the request (invalid value, conflict, pool in use, reload refused).</summary>
    public const int Refused = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>No such session, tunnel or pool.</summary>
    public const int NotFound = 3;

    /// <summary>relayd is not reachable (no socket, nobody listening, stopping, busy). EX_UNAVAILABLE.</summary>
    public const int Unavailable = 69;

    /// <summary>relayd failed or answered something relayctl does not understand. EX_SOFTWARE.</summary>
    public const int Software = 70;

    /// <summary>The socket refuses this user (the control API is root only). EX_NOPERM.</summary>
    public const int NoPermission = 77;

    public const string Help = """
        Exit codes: 0 ok; 1 relayd refused the request (its problem document is printed); 2 bad usage;
        3 no such session, tunnel or pool; 69 relayd not reachable (not running, stopping or busy);
        70 relayd failed or answered nonsense; 77 permission denied (the control socket is root only).
        """;
}
