using System.Globalization;
using System.Security.Cryptography;

namespace Relay.Topology;

/// <summary>
/// A set of network namespaces joined by veth pairs, for tests and the perf harness. Names are
/// "{prefix}-{6 hex}-{role}" so concurrent runs never collide. <see cref="Dispose"/> kills every process
/// left in the namespaces and deletes them; use it in a using/try-finally so a failing test cleans up too.
/// Construction removes leftovers of crashed runs: namespaces whose owner process (recorded in a marker
/// file) is dead, or unmarked ones older than <see cref="UnmarkedLeftoverAge"/>; live concurrent runs are
/// never touched. Use addresses only from 198.18.0.0/15 (RFC 2544 benchmarking) or the RFC 5737 test nets.
/// </summary>
public sealed class Topology : IDisposable
{
    /// <summary>Where each run records its owner process id.</summary>
    public const string MarkerDirectory = "/run/relay-topology";

    public static readonly TimeSpan UnmarkedLeftoverAge = TimeSpan.FromMinutes(10);

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly string _marker;
    private bool _disposed;

    public Topology(string prefix = "rly")
    {
        if (prefix.Length is 0 or > 4 || prefix.Contains('-'))
        {
            throw new ArgumentException("prefix: 1-4 characters, no '-'", nameof(prefix));
        }
        Prefix = prefix;
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        RemoveLeftovers(prefix);
        Directory.CreateDirectory(MarkerDirectory);
        _marker = Path.Combine(MarkerDirectory, $"{prefix}-{Id}");
        File.WriteAllText(_marker, $"{Environment.ProcessId} {ProcessStartTicks(Environment.ProcessId)}");
    }

    public string Prefix { get; }

    /// <summary>Six random hex digits shared by this topology's namespace names.</summary>
    public string Id { get; }

    public IReadOnlyList<NetworkNamespace> Namespaces => _namespaces;

    /// <summary>Creates namespace "{prefix}-{id}-{role}" with its loopback up.</summary>
    public NetworkNamespace AddNamespace(string role)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ns = new NetworkNamespace($"{Prefix}-{Id}-{role}");
        Shell.MustRun("ip", "netns", "add", ns.Name);
        _namespaces.Add(ns);
        ns.MustExec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>
    /// A veth pair between two namespaces, created directly inside them (device names only need to be
    /// unique per namespace), with the given addresses (CIDR, may be null) and both ends up.
    /// </summary>
    public void Link(NetworkNamespace a, string deviceA, string? cidrA, NetworkNamespace b, string deviceB, string? cidrB)
    {
        Shell.MustRun("ip", "-n", a.Name, "link", "add", deviceA, "type", "veth", "peer", "name", deviceB, "netns", b.Name);
        foreach (var (ns, device, cidr) in new[] { (a, deviceA, cidrA), (b, deviceB, cidrB) })
        {
            if (cidr is not null)
            {
                ns.AddAddress(device, cidr);
            }
            ns.MustExec("ip", "link", "set", device, "up");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        var failures = new List<string>();
        foreach (var ns in _namespaces)
        {
            if (Delete(ns.Name) is { } failure)
            {
                failures.Add(failure);
            }
        }
        File.Delete(_marker);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("topology cleanup failed: " + string.Join("; ", failures));
        }
    }

    /// <summary>Kills what runs in the namespace and deletes it. Returns null or what went wrong.</summary>
    private static string? Delete(string name)
    {
        var pids = Shell.Run("ip", ["netns", "pids", name]);
        foreach (var pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Shell.Run("kill", ["-9", pid]);
        }
        var result = Shell.Run("ip", ["netns", "del", name]);
        return result.Succeeded || !File.Exists($"/run/netns/{name}") ? null : result.ToString();
    }

    private static void RemoveLeftovers(string prefix)
    {
        var list = Shell.Run("ip", ["netns", "list"]);
        foreach (var line in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ', 2)[0];
            var parts = name.Split('-');
            if (parts.Length < 3 || parts[0] != prefix || parts[1].Length != 6)
            {
                continue;
            }
            var marker = Path.Combine(MarkerDirectory, $"{prefix}-{parts[1]}");
            if (File.Exists(marker) ? OwnerIsAlive(marker) : !IsOld($"/run/netns/{name}"))
            {
                continue;
            }
            Delete(name);
            File.Delete(marker);
        }
    }

    private static bool IsOld(string path)
        => File.Exists(path) && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > UnmarkedLeftoverAge;

    private static bool OwnerIsAlive(string marker)
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText(marker).Split(' ');
        }
        catch (IOException)
        {
            // Gone since we looked: its owner is disposing of its namespaces right now; leave them to it.
            return true;
        }
        return fields.Length == 2
            && int.TryParse(fields[0], CultureInfo.InvariantCulture, out var pid)
            && ProcessStartTicks(pid) is { } ticks && ticks == fields[1];
    }

    /// <summary>Field 22 of /proc/PID/stat (start time), so a recycled pid is not mistaken for the owner.</summary>
    private static string? ProcessStartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return afterName[19];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
