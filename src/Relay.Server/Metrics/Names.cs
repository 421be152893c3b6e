using System.Text;
using Relay.Control.L2tp;
using Relay.Control.Ppp;

namespace Relay.Server.Metrics;

/// <summary>The lower-case names states and methods go by in the API, the metrics and relayctl.</summary>
internal static class Names
{
    public static string Of(TunnelState state) => state switch
    {
        TunnelState.WaitControlReply => "wait_ctl_reply",
        TunnelState.WaitControlConnected => "wait_ctl_conn",
        TunnelState.Established => "established",
        _ => "closing",
    };

    public static string Of(SessionState state) => state switch
    {
        SessionState.WaitReply => "wait_reply",
        SessionState.WaitConnect => "wait_connect",
        _ => "established",
    };

    public static string Of(TunnelCloseReason reason) => Snake(reason.ToString());

    public static string Of(PppAuthMethod method) => method switch
    {
        PppAuthMethod.Pap => "pap",
        PppAuthMethod.ChapMd5 => "chap",
        _ => "mschapv2",
    };

    public static string Of(PppPhase phase) => phase.ToString().ToLowerInvariant();

    /// <summary>PascalCase to snake_case ("HandshakeTimeout" to "handshake_timeout").</summary>
    public static string Snake(string pascal)
    {
        ArgumentNullException.ThrowIfNull(pascal);
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    text.Append('_');
                }
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
