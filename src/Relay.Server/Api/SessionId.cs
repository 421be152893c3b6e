using System.Globalization;
using Relay.Control.Addressing;

namespace Relay.Server.Api;

/// <summary>
/// The API's name for a session: relayd's own tunnel id and session id, "tunnel:session" (L2TP
/// session ids are unique only inside their tunnel, RFC 2661 §3.1).
/// </summary>
internal static class SessionId
{
    public static string Format(SessionKey key) => string.Create(CultureInfo.InvariantCulture, $"{key.TunnelId}:{key.SessionId}");

    public static bool TryParse(string? text, out SessionKey key)
    {
        key = default;
        var colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0
            || !ushort.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var tunnel)
            || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var session)
            || tunnel == 0 || session == 0)
        {
            return false;
        }
        key = new SessionKey(tunnel, session);
        return true;
    }
}
