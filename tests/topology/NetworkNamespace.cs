using System.Diagnostics;

namespace Relay.Topology;

/// <summary>One network namespace of a <see cref="Topology"/>; deleted by the topology's Dispose.</summary>
public sealed class NetworkNamespace
{
    internal NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace name, e.g. rly-1a2b3c-client.</summary>
    public string Name { get; }

    /// <summary>Runs a command inside the namespace to completion.</summary>
    public CommandResult Exec(params string[] command) => Shell.Run("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Like <see cref="Exec"/> but throws with the output when the command fails.</summary>
    public CommandResult MustExec(params string[] command)
    {
        var result = Exec(command);
        return result.Succeeded ? result : throw new InvalidOperationException($"in {Name}: {result}");
    }

    /// <summary>Starts a long-running process inside the namespace; dispose the handle to kill it.</summary>
    public NamespaceProcess Start(params string[] command)
    {
        var psi = new ProcessStartInfo("ip");
        foreach (var a in (string[])["netns", "exec", Name, .. command])
        {
            psi.ArgumentList.Add(a);
        }
        return new NamespaceProcess(psi, $"{string.Join(' ', command)} in {Name}");
    }

    public void AddAddress(string device, string cidr) => MustExec("ip", "addr", "add", cidr, "dev", device);

    public void SetDefaultRoute(string via) => MustExec("ip", "route", "replace", "default", "via", via);

    public void EnableForwarding() => MustExec("sysctl", "-qw", "net.ipv4.ip_forward=1");

    /// <summary>nftables source NAT: everything leaving <paramref name="outsideDevice"/> is masqueraded.</summary>
    public void AddMasquerade(string outsideDevice)
    {
        var rules = $$"""
            table ip relay_topology_nat {
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "{{outsideDevice}}" masquerade
              }
            }
            """;
        var result = Shell.Run("ip", ["netns", "exec", Name, "nft", "-f", "-"], stdin: rules);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"in {Name}: {result}");
        }
    }

    public override string ToString() => Name;
}
