using Relay.Topology;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// xl2tpd in the foreground inside a namespace, with its config, secrets, pid file and control
/// pipe in a scratch directory. Its pppd cannot work here (no kernel PPP), so every session it
/// takes part in ends with a CDN from xl2tpd soon after ICCN.
/// </summary>
internal sealed class Xl2tpd : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly NamespaceProcess _process;

    private Xl2tpd(NamespaceProcess process, string controlPipe)
    {
        _process = process;
        ControlPipe = controlPipe;
    }

    public string ControlPipe { get; }

    public string Output => _process.Output;

    /// <summary>
    /// A LAC with a section "[lac relay]" dialling <paramref name="lns"/>; <paramref name="secret"/> null = no
    /// tunnel authentication. With <paramref name="challenge"/> false it does not challenge the LNS but still
    /// answers the LNS's challenge with its secret.
    /// </summary>
    public static Xl2tpd StartLac(NetworkNamespace ns, ScratchDirectory scratch, string lns, string? secret, bool challenge = true)
        => Start(ns, scratch, $"""
            [lac relay]
            lns = {lns}
            hostname = xl2tpd-lac
            pppoptfile = {PppOptions(scratch)}
            length bit = yes
            require authentication = no
            challenge = {(secret is not null && challenge ? "yes" : "no")}
            """, secret);

    /// <summary>An LNS ("[lns default]") on <paramref name="listen"/>:1701.</summary>
    public static Xl2tpd StartLns(NetworkNamespace ns, ScratchDirectory scratch, string listen, string? secret)
        => Start(ns, scratch, $"""
            [lns default]
            ip range = 10.201.1.10-10.201.1.20
            local ip = 10.201.1.1
            hostname = xl2tpd-lns
            pppoptfile = {PppOptions(scratch)}
            length bit = yes
            require authentication = no
            challenge = {(secret is null ? "no" : "yes")}
            """, secret, listen);

    /// <summary>Asks the LAC to dial its "[lac relay]" section through the control pipe.</summary>
    public void Dial()
    {
        var result = Shell.Run("sh", ["-c", $"echo 'c relay' > '{ControlPipe}'"], Timeout);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"cannot dial: {result}\nxl2tpd:\n{Output}");
        }
    }

    public string WaitForLine(Func<string, bool> match) => _process.WaitForLine(match, Timeout);

    public void Dispose() => _process.Dispose();

    private static Xl2tpd Start(NetworkNamespace ns, ScratchDirectory scratch, string section, string? secret, string? listen = null)
    {
        // The secrets file takes exactly "them us secret"; a fourth field breaks the lookup. (An
        // "auth file" line in the config would override -s.)
        var secrets = scratch.Write("l2tp-secrets", secret is null ? "" : $"* * {secret}\n");
        var config = scratch.Write("xl2tpd.conf", $"""
            [global]
            port = 1701
            {(listen is null ? "" : $"listen-addr = {listen}")}
            access control = no

            {section}

            """);
        var pipe = scratch["l2tp-control"];
        var process = ns.Start("xl2tpd", "-D", "-c", config, "-s", secrets, "-p", scratch["xl2tpd.pid"], "-C", pipe);
        try
        {
            process.WaitForLine(l => l.Contains("Listening on IP address", StringComparison.Ordinal), Timeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new Xl2tpd(process, pipe);
    }

    private static string PppOptions(ScratchDirectory scratch) => scratch.Write("ppp-options", "noauth\n");
}
