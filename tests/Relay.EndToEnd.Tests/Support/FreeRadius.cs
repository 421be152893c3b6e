using Relay.Topology;

namespace Relay.EndToEnd.Tests.Support;

/// <summary>
/// FreeRADIUS 3 inside a namespace, in the foreground (<c>-f -l stdout</c>), from a private config
/// directory written here: one client (address + shared secret), a users file of cleartext
/// passwords, PAP and CHAP-MD5 only. It answers on <c>ADDRESS:1812</c> (auth) and <c>:1813</c>
/// (accounting, always acknowledged). Nothing of /etc/freeradius is read.
/// </summary>
internal sealed class FreeRadius : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly NamespaceProcess _process;

    private FreeRadius(NamespaceProcess process) => _process = process;

    public string Output => _process.Output;

    /// <summary>Starts it listening on <paramref name="address"/> for <paramref name="clientAddress"/>; returns once it is ready.</summary>
    public static FreeRadius Start(NetworkNamespace ns, ScratchDirectory scratch, string address, string clientAddress, string secret,
        IReadOnlyDictionary<string, string> users)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(users);
        var dir = Path.Combine(scratch.Path, "freeradius");
        Directory.CreateDirectory(dir);
        var usersFile = Path.Combine(dir, "users");
        File.WriteAllText(usersFile, string.Concat(users.Select(u => $"\"{u.Key}\" Cleartext-Password := \"{u.Value}\"\n")));
        File.WriteAllText(Path.Combine(dir, "radiusd.conf"), $$"""
            prefix = /usr
            exec_prefix = /usr
            sysconfdir = {{dir}}
            localstatedir = {{dir}}
            sbindir = /usr/sbin
            logdir = {{dir}}
            raddbdir = {{dir}}
            radacctdir = {{dir}}
            confdir = {{dir}}
            run_dir = {{dir}}
            libdir = /usr/lib/freeradius
            name = freeradius
            pidfile = {{dir}}/freeradius.pid
            max_request_time = 10
            cleanup_delay = 1
            max_requests = 256
            hostname_lookups = no
            log {
              destination = stdout
              auth = yes
            }
            security {
              allow_core_dumps = no
            }
            client test-nas {
              ipaddr = {{clientAddress}}
              secret = "{{secret}}"
              require_message_authenticator = no
            }
            modules {
              always ok {
                rcode = ok
              }
              pap {
              }
              chap {
              }
              files {
                filename = {{usersFile}}
              }
            }
            server default {
              listen {
                type = auth
                ipaddr = {{address}}
                port = 1812
              }
              listen {
                type = acct
                ipaddr = {{address}}
                port = 1813
              }
              authorize {
                chap
                files
                pap
              }
              authenticate {
                Auth-Type PAP {
                  pap
                }
                Auth-Type CHAP {
                  chap
                }
              }
              preacct {
              }
              accounting {
                ok
              }
              post-auth {
                ok
              }
            }

            """);
        var process = ns.Start("freeradius", "-f", "-l", "stdout", "-d", dir);
        try
        {
            process.WaitForLine(l => l.Contains("Ready to process requests", StringComparison.Ordinal), StartTimeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new FreeRadius(process);
    }

    /// <summary>Waits for a line of its log (e.g. "Login OK: [alice]").</summary>
    public string WaitForLine(Func<string, bool> match) => _process.WaitForLine(match, StartTimeout);

    public void Dispose() => _process.Dispose();
}
