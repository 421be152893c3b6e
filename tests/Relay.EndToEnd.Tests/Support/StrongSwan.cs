using Relay.Topology;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// One strongSwan charon inside a namespace, as PEERS.md found works here: kernel-libipsec (ESP in user
/// space over the TUN device ipsec0, always UDP-encapsulated on 4500, routes in table 220), its own
/// strongswan.conf, swanctl directory and vici socket under the scratch directory, and a private /run
/// (unshare -m) because charon writes a fixed /var/run/charon.pid. IKEv2 with a pre-shared key; the
/// CHILD_SA joins two inner addresses (kernel-libipsec cannot protect the IKE addresses themselves:
/// "conflicts with IKE traffic"), which the test puts on lo.
/// </summary>
internal sealed class StrongSwan : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly NetworkNamespace _ns;
    private readonly NamespaceProcess _charon;
    private readonly string _dir;

    private StrongSwan(NetworkNamespace ns, NamespaceProcess charon, string dir)
    {
        _ns = ns;
        _charon = charon;
        _dir = dir;
    }

    public string Output => _charon.Output;

    private string Vici => $"unix://{_dir}/charon.vici";

    /// <summary>
    /// Starts charon with one connection "relay": IKE from <paramref name="ikeLocal"/> to <paramref name="ikeRemote"/>,
    /// identities the IKE addresses, CHILD_SA "relay" between <paramref name="innerLocal"/>/32 and <paramref name="innerRemote"/>/32.
    /// </summary>
    public static StrongSwan Start(NetworkNamespace ns, ScratchDirectory scratch, string name, string ikeLocal, string ikeRemote,
        string innerLocal, string innerRemote, string psk = "relay-test-psk")
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(scratch);
        var dir = scratch[$"strongswan-{name}"];
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        Directory.CreateDirectory(Path.Combine(dir, "swanctl"));
        File.WriteAllText(Path.Combine(dir, "strongswan.conf"), $$"""
            charon {
              load = random nonce aes sha1 sha2 hmac gmp pem pkcs1 x509 pubkey kdf kernel-libipsec kernel-netlink socket-default vici updown
              plugins {
                vici {
                  socket = unix://{{dir}}/charon.vici
                }
              }
              filelog {
                stderr {
                  default = 1
                }
              }
            }
            swanctl {
              load = pem pkcs1 x509 pubkey
            }
            """);
        File.WriteAllText(Path.Combine(dir, "swanctl", "swanctl.conf"), $$"""
            connections {
              relay {
                version = 2
                local_addrs = {{ikeLocal}}
                remote_addrs = {{ikeRemote}}
                proposals = aes128-sha256-modp2048
                local {
                  auth = psk
                  id = {{ikeLocal}}
                }
                remote {
                  auth = psk
                  id = {{ikeRemote}}
                }
                children {
                  relay {
                    local_ts = {{innerLocal}}/32
                    remote_ts = {{innerRemote}}/32
                    esp_proposals = aes128-sha256
                  }
                }
              }
            }
            secrets {
              ike-relay {
                id-local = {{ikeLocal}}
                id-remote = {{ikeRemote}}
                secret = "{{psk}}"
              }
            }
            """);
        ns.MustExec("ip", "addr", "add", $"{innerLocal}/32", "dev", "lo");
        var charon = ns.Start("unshare", "-m", "--propagation", "private", "sh", "-c",
            $"mount --bind {dir}/run /run && STRONGSWAN_CONF={dir}/strongswan.conf exec /usr/lib/ipsec/charon");
        var swan = new StrongSwan(ns, charon, dir);
        try
        {
            charon.WaitForLine(l => l.Contains("spawning", StringComparison.Ordinal) && l.Contains("worker threads", StringComparison.Ordinal), Timeout);
            var loaded = swan.Swanctl("--load-all");
            Assert.True(loaded.Contains("loaded connection 'relay'", StringComparison.Ordinal), loaded);
        }
        catch
        {
            swan.Dispose();
            throw;
        }
        return swan;
    }

    /// <summary>Initiates the CHILD_SA (and the IKE_SA under it); returns swanctl's output, which ends "initiate completed successfully".</summary>
    public string Initiate()
    {
        var output = Swanctl("--initiate", "--child", "relay", "--timeout", "20");
        Assert.True(output.Contains("initiate completed successfully", StringComparison.Ordinal), $"{output}\ncharon:\n{Output}");
        return output;
    }

    /// <summary><c>swanctl --list-sas</c>: the SAs with their byte and packet counters (kernel-libipsec keeps them, not ip xfrm).</summary>
    public string ListSas() => Swanctl("--list-sas");

    /// <summary>Inbound ESP payload bytes of the CHILD_SA "relay", from <c>swanctl --list-sas</c> ("in  SPI, N bytes, ...").</summary>
    public long InboundBytes()
    {
        var sas = ListSas();
        var match = System.Text.RegularExpressions.Regex.Match(sas, @"\bin\s+[0-9a-f]+, +([0-9]+) bytes");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Sets the MTU of kernel-libipsec's ipsec0, so that inner packets plus ESP-in-UDP fit the path below.</summary>
    public void SetIpsecMtu(int mtu) => _ns.MustExec("ip", "link", "set", "ipsec0", "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string Swanctl(params string[] args)
    {
        var result = _ns.Exec(["env", $"STRONGSWAN_CONF={_dir}/strongswan.conf", $"SWANCTL_DIR={_dir}/swanctl", "swanctl", .. args, "--uri", Vici]);
        return result.Succeeded ? result.StandardOutput : throw new InvalidOperationException($"{result}\ncharon:\n{Output}");
    }

    public void Dispose() => _charon.Dispose();
}
