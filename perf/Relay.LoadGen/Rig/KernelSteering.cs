using System.Globalization;
using Relay.Topology;

namespace Relay.LoadGen.Rig;

/// <summary>
/// Puts the kernel's share of the work on the CPU it belongs to, so that every relay mode is charged
/// for what it costs: without this a veth's receive processing runs on the sending CPU, and the fast
/// path's XDP program in a NAPI poll scheduled wherever the sender happens to be.
/// RPS (receive packet steering) moves the protocol stack, tc ingress and generic XDP; a threaded
/// NAPI poll pinned with sched_setaffinity moves native XDP (the veth driver's own poll).
/// </summary>
internal static class KernelSteering
{
    /// <summary>Steers every receive queue of <paramref name="device"/> to <paramref name="cpu"/> (rps_cpus).</summary>
    public static void SteerReceive(NetworkNamespace ns, string device, int cpu)
    {
        var mask = (1UL << cpu).ToString("x", CultureInfo.InvariantCulture);
        ns.MustExec("sh", "-c", $"for q in /sys/class/net/{device}/queues/rx-*; do echo {mask} > $q/rps_cpus; done");
    }

    /// <summary>
    /// Switches <paramref name="device"/>'s NAPI polls to kernel threads and pins the threads that
    /// appeared to <paramref name="cpu"/>. A veth has NAPI only while an XDP program (or GRO) is on it,
    /// so call this after the attach. Returns the thread ids.
    /// </summary>
    public static IReadOnlyList<int> PinThreadedNapi(NetworkNamespace ns, string device, int cpu)
    {
        // Off first: a device left threaded (an earlier mode) gives its new polls threads at creation,
        // before we could see which ones are new.
        UnthreadNapi(ns, device);
        var before = NapiThreads();
        ns.MustExec("sh", "-c", $"echo 1 > /sys/class/net/{device}/threaded");
        var added = NapiThreads().Except(before).ToList();
        if (added.Count == 0)
        {
            throw new InvalidOperationException($"in {ns}: {device} has no NAPI poll to thread (is an XDP program attached?)");
        }
        foreach (var tid in added)
        {
            var result = Shell.Run("taskset", ["-p", "-c", cpu.ToString(CultureInfo.InvariantCulture), tid.ToString(CultureInfo.InvariantCulture)]);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"pinning NAPI thread {tid} of {device} in {ns}: {result}");
            }
        }
        return added;
    }

    /// <summary>Back to softirq polling (the NAPI threads exit).</summary>
    public static void UnthreadNapi(NetworkNamespace ns, string device)
        => ns.Exec("sh", "-c", $"echo 0 > /sys/class/net/{device}/threaded");

    private static HashSet<int> NapiThreads()
    {
        var threads = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).StartsWith("napi/", StringComparison.Ordinal))
                {
                    threads.Add(pid);
                }
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }
        return threads;
    }
}
