using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Relay.Control.L2tp;
using Relay.Testing;
using Relay.Topology;
using static Relay.EndToEnd.Tests.ControlApi.ControlApiTests;

namespace Relay.EndToEnd.Tests.ControlApi;

/// <summary>
/// The AOT relayctl against the AOT relayd with real sessions: tables for people, JSON for
/// scripts, exit codes that say what happened; and the control socket is root's alone.
/// </summary>
public sealed class RelayctlTests(ITestOutputHelper output)
{
    [Fact]
    public void Relayctl_prints_aligned_tables_and_parsable_json_with_meaningful_exit_codes()
    {
        using var bed = new ControlApiBed();
        try
        {
            var (aliceDriver, alice) = bed.Dial("alice", "wonderland");
            bed.Dial("bob", "builder");
            var aliceId = $"{alice.PeerTunnelId}:{alice.PeerSessionId}";
            CommandResult Ctl(params string[] args) => Shell.Run(RepositoryPaths.Relayctl(), ["--socket", bed.Relayd.ControlSocket, .. args]);

            var status = Ctl("status");
            Assert.True(status.ExitCode == 0, status.ToString());
            var lines = status.StandardOutput.Split('\n');
            Assert.Matches($"^relayd 0\\.1\\.0 \\(pid {bed.Relayd.ProcessId}\\), up [0-9]+s$", lines[0]);
            Assert.Contains("tunnels      2 (2 established)", lines);
            Assert.Contains("sessions     2 (2 ready)", lines);
            Assert.Contains("leases       2 in 2 pool(s)", lines);
            // The test config has a tunnel secret and a secrets file but no firewall gateways: that is what it says to do next.
            Assert.Contains("to configure next:", lines);
            Assert.Contains(lines, l => l.StartsWith("  - firewall.gateways is empty", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("tunnel authentication is off", StringComparison.Ordinal));

            // The firewall for the running configuration, in nft syntax that nft accepts.
            var firewall = Ctl("firewall", "--print");
            Assert.True(firewall.ExitCode == 0, firewall.ToString());
            Assert.Contains("table inet relay", firewall.StandardOutput, StringComparison.Ordinal);
            var ruleset = bed.Scratch["ruleset.nft"];
            File.WriteAllText(ruleset, firewall.StandardOutput);
            var check = Shell.Run("nft", ["-c", "-f", ruleset]);
            Assert.True(check.ExitCode == 0, check.ToString());

            // The sessions table: a header, one row per session, every column starting at the header's offset.
            var table = Ctl("sessions");
            Assert.True(table.ExitCode == 0, table.ToString());
            var rows = table.StandardOutput.TrimEnd('\n').Split('\n');
            Assert.Equal(3, rows.Length);
            Assert.Matches("^ID +USER +ADDRESS +POOL +PEER +STATE +PPP +UPTIME +RX-PKTS +TX-PKTS +DROPS$", rows[0]);
            foreach (var column in new[] { "USER", "ADDRESS", "POOL", "PEER", "STATE", "PPP" })
            {
                var at = rows[0].IndexOf(column, StringComparison.Ordinal);
                Assert.All(rows.Skip(1), r => Assert.True(r[at - 2] == ' ' && r[at - 1] == ' ' && r[at] != ' ', $"column {column} misaligned:\n{table.StandardOutput}"));
            }
            var aliceRow = rows.Single(r => r.StartsWith(aliceId + " ", StringComparison.Ordinal));
            Assert.Matches($"^{aliceId} +alice +{Regex(alice.LocalAddress)} +clients +{ControlApiBed.ClientAddress}:1701 +established +network +[0-9]+s +[0-9]+ +[0-9]+ +[0-9]+$", aliceRow);

            var json = Ctl("sessions", "--user", "alice", "--json");
            Assert.True(json.ExitCode == 0, json.ToString());
            using (var document = JsonDocument.Parse(json.StandardOutput))
            {
                Assert.Equal(aliceId, document.RootElement.EnumerateArray().Single().GetProperty("id").GetString());
            }
            using (var document = JsonDocument.Parse(Ctl("stats", "--json").StandardOutput))
            {
                Assert.Equal(2, document.RootElement.GetProperty("counters").GetProperty("relay_sessions_ready").GetInt64());
            }
            using (var document = JsonDocument.Parse(Ctl("pools", "--json").StandardOutput))
            {
                Assert.Equal(2, document.RootElement.GetArrayLength());
            }

            var show = Ctl("show", "session", aliceId);
            Assert.True(show.ExitCode == 0, show.ToString());
            Assert.Contains("user     alice\n", show.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"address  {alice.LocalAddress} (pool clients)\n", show.StandardOutput, StringComparison.Ordinal);

            var missing = Ctl("show", "session", "9:9");
            Assert.Equal(3, missing.ExitCode);
            Assert.Equal("relayctl: Not found (404): id: no session 9:9\n", missing.StandardError);
            var missingJson = Ctl("show", "session", "9:9", "--json");
            Assert.Equal(3, missingJson.ExitCode);
            using (var document = JsonDocument.Parse(missingJson.StandardOutput))
            {
                Assert.Equal(404, document.RootElement.GetProperty("status").GetInt32());
            }

            var add = Ctl("pool", "add", "extra", "10.201.14.0/24", "--exclude", "10.201.14.9", "--exclude", "10.201.14.10");
            Assert.True(add.ExitCode == 0, add.ToString());
            Assert.Matches("\nextra +10\\.201\\.14\\.0/24 +private +256 +252 +0 +252 +active\n", add.StandardOutput);
            var again = Ctl("pool", "add", "extra", "10.201.14.0/24");
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("name: duplicate of pools[2] \"extra\"", again.StandardError, StringComparison.Ordinal);
            Assert.Equal(1, Ctl("pool", "remove", "clients").ExitCode);
            Assert.Equal("pool extra: removed\n", Ctl("pool", "remove", "extra").StandardOutput);
            Assert.Equal(2, Ctl("pool", "add", "x", "10.201.15.0/24", "--realm", "elsewhere").ExitCode);

            var reload = Ctl("reload");
            Assert.True(reload.ExitCode == 0, reload.ToString());
            Assert.StartsWith("reloaded        sha256:", reload.StandardOutput, StringComparison.Ordinal);

            var watch = Ctl("watch", "--count", "1", "--interval", "0.2", "--json");
            Assert.True(watch.ExitCode == 0, watch.ToString());
            using (var document = JsonDocument.Parse(watch.StandardOutput))
            {
                Assert.True(document.RootElement.GetProperty("seconds").GetDouble() > 0.1);
                Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("rates").ValueKind);
            }

            var kick = Ctl("kick", "session", aliceId);
            Assert.True(kick.ExitCode == 0, kick.ToString());
            Assert.Equal($"session {aliceId}: closing (PPP Terminate-Request, then CDN)\n", kick.StandardOutput);
            aliceDriver.RunUntil(() => aliceDriver.L2tpEvents.OfType<SessionClosed>().Any(), ControlApiBed.Timeout, "CDN from relayd");
            Assert.Equal(ResultCodes.CdnAdministrative, aliceDriver.L2tpEvents.OfType<SessionClosed>().Single().ResultCode);

            Assert.Equal(2, Ctl("bogus").ExitCode);
            var absent = Shell.Run(RepositoryPaths.Relayctl(), ["--socket", bed.Scratch["nothing.sock"], "status"]);
            Assert.Equal(69, absent.ExitCode);
            Assert.StartsWith("relayctl: no control socket at ", absent.StandardError, StringComparison.Ordinal);
            var help = Shell.Run(RepositoryPaths.Relayctl(), ["--help"]);
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("77 permission denied", help.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_control_socket_is_root_only_and_a_stale_one_is_replaced_but_a_live_one_is_not()
    {
        // A socket file left behind by a process that died: nobody listens on it.
        static void LeaveStaleSocket(Support.ScratchDirectory scratch)
        {
            Directory.CreateDirectory(scratch["run"]);
            using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            stale.Bind(new UnixDomainSocketEndPoint(scratch["run/control.sock"]));
        }

        using var bed = new ControlApiBed(LeaveStaleSocket);
        try
        {
            Ok(bed.Api.Get("v1/status"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(bed.Relayd.ControlSocket));

            // relayctl as nobody (a copy in the world-readable scratch directory, so only the socket can refuse).
            var relayctl = bed.Scratch["relayctl"];
            File.Copy(RepositoryPaths.Relayctl(), relayctl);
            File.SetUnixFileMode(relayctl, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(bed.Scratch.Path, (UnixFileMode)0b111_101_101);
            var nobody = Shell.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", relayctl, "--socket", bed.Relayd.ControlSocket, "status"]);
            Assert.True(nobody.ExitCode == 77, nobody.ToString());
            Assert.Contains("permission denied", nobody.StandardError, StringComparison.Ordinal);
            Assert.Equal(0, Shell.Run(relayctl, ["--socket", bed.Relayd.ControlSocket, "status"]).ExitCode);

            // A second relayd on the same socket (other ports) refuses to start rather than steal it.
            var second = bed.Scratch.Write("second.json", bed.ConfigWith(ControlApiBed.Pools, ControlApiBed.Ppp(bed.SecretsPath))
                .Replace(":1701\"", ":1711\"", StringComparison.Ordinal).Replace(":3478\"", ":3488\"", StringComparison.Ordinal).Replace(":9641\"", ":9651\"", StringComparison.Ordinal));
            var refused = bed.Server.Exec("timeout", "20", RepositoryPaths.Relayd(), "--config", second);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("is in use by a running process", refused.StandardError, StringComparison.Ordinal);
            Ok(bed.Api.Get("v1/status"));

            // SIGTERM: graceful, exit 0, socket removed.
            bed.Relayd.Stop();
            Assert.False(File.Exists(bed.Relayd.ControlSocket));
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    [Fact]
    public void Nat_probe_asks_relayds_stun_service_and_sees_no_nat_on_a_direct_link()
    {
        using var bed = new ControlApiBed();
        try
        {
            var probe = bed.Client.Exec(RepositoryPaths.Relayctl(), "nat-probe", ControlApiBed.RelaydAddress);
            Assert.True(probe.ExitCode == 0, probe.ToString());
            Assert.Contains("nat       no\n", probe.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("decision  direct: ", probe.StandardOutput, StringComparison.Ordinal);

            var json = bed.Client.Exec(RepositoryPaths.Relayctl(), "nat-probe", $"{ControlApiBed.RelaydAddress}:3478", "--json");
            Assert.True(json.ExitCode == 0, json.ToString());
            using var document = JsonDocument.Parse(json.StandardOutput);
            Assert.False(document.RootElement.GetProperty("nat").GetBoolean());

            var silent = bed.Client.Exec(RepositoryPaths.Relayctl(), "nat-probe", $"{ControlApiBed.RelaydAddress}:3479");
            Assert.True(silent.ExitCode == 69, silent.ToString());
            Assert.Equal(2, bed.Client.Exec(RepositoryPaths.Relayctl(), "nat-probe", $"{ControlApiBed.RelaydAddress}:99999").ExitCode);
        }
        finally
        {
            output.WriteLine(bed.Trace);
        }
    }

    private static string Regex(IPAddress address) => System.Text.RegularExpressions.Regex.Escape(address.ToString());
}
