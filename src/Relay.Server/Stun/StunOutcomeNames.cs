namespace Relay.Server.Stun;

/// <summary>Stable names of <see cref="StunOutcome"/> for logs and metrics (no reflection, AOT-safe).</summary>
internal static class StunOutcomeNames
{
    public static readonly string[] All =
    [
        "answered",
        "rejected-malformed",
        "rejected-unknown-method",
        "rejected-unknown-attribute",
        "rejected-change-request",
        "dropped-malformed",
        "dropped-bad-fingerprint",
        "dropped-not-request",
        "dropped-source-port-zero",
        "dropped-unsupported-address",
        "dropped-send-failed",
    ];

    public static string Of(StunOutcome outcome) => All[(int)outcome];

    public static string Summary(ReadOnlySpan<long> counters)
    {
        var parts = new string[All.Length];
        for (var i = 0; i < All.Length; i++)
        {
            parts[i] = $"{All[i]}={(i < counters.Length ? counters[i] : 0)}";
        }
        return string.Join(' ', parts);
    }
}
