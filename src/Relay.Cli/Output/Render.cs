using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Relay.Cli.Output;

/// <summary>
/// Turns the control API's JSON into text for people: aligned tables and key/value blocks. Pure
/// functions of the JSON, so the output is snapshot-tested; <c>--json</c> prints the API's JSON instead.
/// </summary>
internal static class Render
{
    public static string Status(JsonElement s)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"relayd {Str(s, "version")} (pid {Num(s, "pid")}), up {Duration(s.GetProperty("uptimeSeconds").GetDouble())}\n");
        var pairs = new Table("", "");
        pairs.Add("config", $"{Str(s, "configFile", "built-in default")} ({Str(s, "configDigest")})");
        var workers = Num(s, "workers");
        pairs.Add("workers", s.GetProperty("dataPlane").GetBoolean() ? workers : $"{workers} (no data plane: data messages are counted and dropped)");
        pairs.Add("tunnels", $"{Num(s, "tunnels")} ({Num(s, "tunnelsEstablished")} established)");
        pairs.Add("sessions", $"{Num(s, "sessions")} ({Num(s, "sessionsReady")} ready)");
        pairs.Add("leases", $"{Num(s, "leases")} in {Num(s, "pools")} pool(s)");
        if (s.TryGetProperty("lastReload", out var reload) && reload.ValueKind == JsonValueKind.Object)
        {
            pairs.Add("last reload", $"{Str(reload, "at")} by {Str(reload, "trigger")}: {Str(reload, "summary")}");
        }
        else
        {
            pairs.Add("last reload", "never");
        }
        text.Append(KeyValues(pairs));
        return text.ToString();
    }

    public static string Tunnels(JsonElement list)
    {
        var table = new Table("ID", "PEER", "PEER-ID", "HOST", "STATE", "SESSIONS", "UPTIME").RightAlign(0, 2, 5, 6);
        foreach (var t in list.EnumerateArray())
        {
            table.Add(Num(t, "id"), Str(t, "peer"), Num(t, "peerTunnelId"), Str(t, "peerHostName"), Str(t, "state"), Num(t, "sessions"), Duration(t.GetProperty("uptimeSeconds").GetDouble()));
        }
        return table.Count == 0 ? "no tunnels\n" : table.ToString();
    }

    public static string Tunnel(JsonElement t)
    {
        var pairs = new Table("", "");
        pairs.Add("tunnel", Num(t, "id"));
        pairs.Add("peer", $"{Str(t, "peer")} (tunnel {Num(t, "peerTunnelId")}, host \"{Str(t, "peerHostName")}\")");
        pairs.Add("state", Str(t, "state"));
        pairs.Add("sessions", Num(t, "sessions"));
        pairs.Add("uptime", Duration(t.GetProperty("uptimeSeconds").GetDouble()));
        return KeyValues(pairs);
    }

    public static string Sessions(JsonElement list)
    {
        var table = new Table("ID", "USER", "ADDRESS", "POOL", "PEER", "STATE", "PPP", "UPTIME", "RX-PKTS", "TX-PKTS", "DROPS").RightAlign(7, 8, 9, 10);
        foreach (var s in list.EnumerateArray())
        {
            var traffic = s.GetProperty("traffic");
            table.Add(Str(s, "id"), Str(s, "user"), Str(s, "address"), Str(s, "pool"), Str(s, "peer"), Str(s, "state"), Str(s, "ppp"),
                Duration(s.GetProperty("uptimeSeconds").GetDouble()),
                Traffic(traffic, "rxPackets"), Traffic(traffic, "txPackets"), Traffic(traffic, "drops"));
        }
        return table.Count == 0 ? "no sessions\n" : table.ToString();
    }

    public static string Session(JsonElement s)
    {
        var pairs = new Table("", "");
        pairs.Add("session", $"{Str(s, "id")} (peer ids {Num(s, "peerTunnelId")}:{Num(s, "peerSessionId")})");
        pairs.Add("peer", Str(s, "peer"));
        pairs.Add("user", Str(s, "user"));
        pairs.Add("address", $"{Str(s, "address")} (pool {Str(s, "pool")})");
        pairs.Add("state", $"l2tp {Str(s, "state")}, ppp {Str(s, "ppp")}{(s.GetProperty("ready").GetBoolean() ? ", ready" : "")}");
        pairs.Add("uptime", Duration(s.GetProperty("uptimeSeconds").GetDouble()));
        var traffic = s.GetProperty("traffic");
        pairs.Add("traffic", traffic.ValueKind == JsonValueKind.Object
            ? $"rx {Num(traffic, "rxPackets")} packets / {Num(traffic, "rxBytes")} bytes, tx {Num(traffic, "txPackets")} packets / {Num(traffic, "txBytes")} bytes, {Num(traffic, "drops")} dropped"
            : "- (no data plane)");
        return KeyValues(pairs);
    }

    public static string Pools(JsonElement list) => PoolRows(list.EnumerateArray());

    /// <summary>One pool (the answer of pool add) as a one-row table.</summary>
    public static string Pool(JsonElement pool) => PoolRows([pool]);

    private static string PoolRows(IEnumerable<JsonElement> list)
    {
        var table = new Table("NAME", "RANGE", "REALM", "SIZE", "USABLE", "USED", "FREE", "STATE").RightAlign(3, 4, 5, 6);
        var leases = new StringBuilder();
        foreach (var p in list)
        {
            table.Add(Str(p, "name"), Str(p, "range"), Str(p, "realm"), Num(p, "size"), Num(p, "usable"), Num(p, "used"), Num(p, "free"),
                p.GetProperty("draining").GetBoolean() ? "draining" : "active");
            if (p.TryGetProperty("leases", out var held) && held.ValueKind == JsonValueKind.Array)
            {
                var rows = new Table("ADDRESS", "SESSION", "KIND");
                foreach (var lease in held.EnumerateArray())
                {
                    rows.Add(Str(lease, "address"), Str(lease, "session"), lease.GetProperty("static").GetBoolean() ? "static" : "dynamic");
                }
                leases.Append(CultureInfo.InvariantCulture, $"\npool {Str(p, "name")}: {rows.Count} lease(s)\n");
                if (rows.Count > 0)
                {
                    leases.Append(rows);
                }
            }
        }
        return (table.Count == 0 ? "no pools\n" : table.ToString()) + leases;
    }

    public static string Stats(JsonElement stats)
    {
        var table = new Table("COUNTER", "VALUE").RightAlign(1);
        foreach (var counter in stats.GetProperty("counters").EnumerateObject())
        {
            table.Add(counter.Name, counter.Value.GetInt64().ToString(CultureInfo.InvariantCulture));
        }
        return table.ToString();
    }

    /// <summary>
    /// One <c>watch</c> frame: per-second rates of every counter that moved between two
    /// <c>/v1/stats</c> answers <paramref name="seconds"/> apart, and the live gauges.
    /// </summary>
    public static string Rates(JsonElement before, JsonElement after, double seconds, string clock)
    {
        var table = new Table("SERIES", "PER-SECOND", "TOTAL").RightAlign(1, 2);
        var old = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var counter in before.GetProperty("counters").EnumerateObject())
        {
            old[counter.Name] = counter.Value.GetInt64();
        }
        var gauges = new Table("GAUGE", "VALUE").RightAlign(1);
        foreach (var counter in after.GetProperty("counters").EnumerateObject())
        {
            var value = counter.Value.GetInt64();
            var name = counter.Name;
            var family = name.Split('{')[0];
            if (family.EndsWith("_total", StringComparison.Ordinal))
            {
                var delta = value - old.GetValueOrDefault(name);
                if (delta != 0)
                {
                    table.Add(name, (delta / seconds).ToString("0.0", CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture));
                }
            }
            else if (family is "relay_tunnels" or "relay_sessions" or "relay_sessions_ready" or "relay_pool_addresses" && value != 0)
            {
                gauges.Add(name, value.ToString(CultureInfo.InvariantCulture));
            }
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{clock}  rates over {seconds:0.0} s\n");
        text.Append(table.Count == 0 ? "no counter moved\n" : table.ToString());
        if (gauges.Count > 0)
        {
            text.Append(gauges);
        }
        return text.ToString();
    }

    public static string Reload(JsonElement r)
    {
        var pairs = new Table("", "");
        pairs.Add("reloaded", Str(r, "configDigest"));
        pairs.Add("pools added", List(r, "poolsAdded"));
        pairs.Add("pools changed", List(r, "poolsChanged"));
        pairs.Add("pools draining", List(r, "poolsDraining"));
        pairs.Add("pools removed", List(r, "poolsRemoved"));
        var text = new StringBuilder(KeyValues(pairs));
        foreach (var note in r.GetProperty("notes").EnumerateArray())
        {
            text.Append("note: ").Append(note.GetString()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>An RFC 9457 problem document as "relayctl: TITLE: DETAIL" and one line per field error.</summary>
    public static string Problem(JsonElement p)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"relayctl: {Str(p, "title")} ({Num(p, "status")})");
        if (p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 1)
        {
            text.Append(":\n");
            foreach (var error in errors.EnumerateArray())
            {
                text.Append(CultureInfo.InvariantCulture, $"  {Str(error, "field")}: {Str(error, "message")}\n");
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $": {Str(p, "detail")}\n");
        }
        return text.ToString();
    }

    /// <summary>"45s", "3m04s", "2h03m04s", "1d02h03m".</summary>
    public static string Duration(double seconds)
    {
        var total = (long)Math.Max(0, seconds);
        var (d, h, m, s) = (total / 86400, total / 3600 % 24, total / 60 % 60, total % 60);
        return d > 0 ? $"{d}d{h:00}h{m:00}m" : h > 0 ? $"{h}h{m:00}m{s:00}s" : m > 0 ? $"{m}m{s:00}s" : $"{s}s";
    }

    private static string KeyValues(Table pairs)
    {
        // The table's header row is empty: drop it.
        var text = pairs.ToString();
        return text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

    private static string List(JsonElement e, string name)
    {
        var items = e.GetProperty(name).EnumerateArray().Select(i => i.GetString()).ToList();
        return items.Count == 0 ? "-" : string.Join(", ", items);
    }

    private static string Traffic(JsonElement traffic, string name)
        => traffic.ValueKind == JsonValueKind.Object ? Num(traffic, name) : "-";

    private static string Str(JsonElement e, string name, string missing = "-")
        => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText() : missing;

    private static string Num(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "-";
}
