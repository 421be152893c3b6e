namespace Relay.DataPlane.Forwarding;

/// <summary>The count of <see cref="DropReason"/> members and their metric names.</summary>
public static class DropReasons
{
    /// <summary>Members of <see cref="DropReason"/>, <see cref="DropReason.None"/> included: the counter array length.</summary>
    public const int Count = (int)DropReason.StaleSequence + 1;

    /// <summary>The snake_case name used as a metric label and in logs and the control API.</summary>
    public static string Name(DropReason reason) => reason switch
    {
        DropReason.None => "none",
        DropReason.Malformed => "malformed",
        DropReason.NotL2tpV2 => "not_l2tp_v2",
        DropReason.UnknownSession => "unknown_session",
        DropReason.Spoofed => "spoofed",
        DropReason.SessionNotReady => "session_not_ready",
        DropReason.NotIpv4 => "not_ipv4",
        DropReason.BadInnerHeader => "bad_inner_header",
        DropReason.InnerSourceSpoofed => "inner_source_spoofed",
        DropReason.PolicyDenied => "policy_denied",
        DropReason.TtlExpired => "ttl_expired",
        DropReason.NoRoute => "no_route",
        DropReason.FragmentDenied => "fragment_denied",
        DropReason.FragmentTableFull => "fragment_table_full",
        DropReason.NoHeadroom => "no_headroom",
        DropReason.ControlQueueFull => "control_queue_full",
        DropReason.SendFailed => "send_failed",
        DropReason.KernelWriteFailed => "kernel_write_failed",
        DropReason.StaleSequence => "stale_sequence",
        _ => "unknown",
    };
}
