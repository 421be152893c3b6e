using Relay.Topology;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// l2tpns (user-space LNS) inside a namespace. It reads the hard-coded /etc/l2tpns/ip_pool, so it
/// runs under its own mount namespace with a private pool bind-mounted there; it ends with
/// kill(0, SIGTERM), so it runs in its own session (setsid) to spare the test's process group.
/// </summary>
internal sealed class L2tpns : IDisposable
{
    /// <summary>It defers to a (missing) cluster master for a few seconds before it serves L2TP.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly NamespaceProcess _process;

    private L2tpns(NamespaceProcess process) => _process = process;

    public string Output => _process.Output;

    /// <summary>The address pool it leases from (its hard-coded /etc/l2tpns/ip_pool).</summary>
    public const string Pool = "10.201.2.0/24";

    public static L2tpns Start(NetworkNamespace ns, ScratchDirectory scratch, string address, string device, string? secret)
        => Start(ns, scratch, address, device, secret, radius: null);

    /// <summary>
    /// Like the other overload, with PPP authentication sent to a RADIUS server (address, shared
    /// secret, and <c>radius_authtypes</c>: "pap", "chap" or both in order of preference) and
    /// optionally the primary and secondary DNS servers its IPCP offers.
    /// </summary>
    public static L2tpns Start(NetworkNamespace ns, ScratchDirectory scratch, string address, string device, string? secret,
        (string Server, string Secret, string AuthTypes)? radius, (string Primary, string Secondary)? dns = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(scratch);
        var pool = scratch.Write("ip_pool", $"{Pool}\n");
        var config = scratch.Write("startup-config", $"""
            set debug 3
            set pid_file "{scratch["l2tpns.pid"]}"
            set bind_address {address}
            set cluster_interface {device}
            set cluster_hb_timeout 20
            {(secret is null ? "" : $"set l2tp_secret \"{secret}\"")}
            set primary_radius {radius?.Server ?? "127.0.0.1"}
            set radius_secret "{radius?.Secret ?? "unused"}"
            {(radius is null ? "" : $"set radius_authtypes \"{radius.Value.AuthTypes}\"")}
            {(dns is null ? "" : $"set primary_dns {dns.Value.Primary}\nset secondary_dns {dns.Value.Secondary}")}

            """);
        var process = ns.Start("setsid", "unshare", "-m", "--propagation", "private", "sh", "-c",
            $"mount --bind '{pool}' /etc/l2tpns/ip_pool && exec l2tpns -c '{config}'");
        try
        {
            process.WaitForLine(l => l.Contains("declaring myself the master", StringComparison.Ordinal), StartTimeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new L2tpns(process);
    }

    /// <summary>Waits until l2tpns prints a matching line (its log reaches us on its own schedule).</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout) => _process.WaitForLine(match, timeout);

    public void Dispose() => _process.Dispose();
}
