using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;

namespace Relay.DataPlane.Bpf;

/// <summary>
/// The kernel fast path: loads <c>relay_xdp.o</c> or <c>relay_tc.o</c> through libbpf, attaches
/// it to one interface, pins its maps under <see cref="FastPathOptions.PinDirectory"/>, keeps the
/// maps in step with the forwarding table (<see cref="Sync"/>, after every
/// <see cref="ForwardingTable.Publish"/>) and reads its counters. Dispose detaches and unpins.
/// Pins and attachments a crashed relayd left behind are replaced at start. Used by the control
/// loop only (one thread); <see cref="ReadCounters"/> and <see cref="ReadTraffic"/> may be called
/// from any thread.
/// </summary>
public sealed partial class FastPath : IDisposable
{
    internal const string SessionsMap = "relay_sessions";
    internal const string RoutesMap = "relay_routes";
    internal const string ConfigMap = "relay_config";
    internal const string TrafficMap = "relay_traffic";
    internal const string DropsMap = "relay_drops";
    internal const string PassesMap = "relay_passes";
    internal const string ResultsMap = "relay_results";

    internal static readonly string[] MapNames = [SessionsMap, RoutesMap, ConfigMap, TrafficMap, DropsMap, PassesMap, ResultsMap];

    internal const int DropSlots = 32;
    internal const int PassSlots = 16;
    internal const int ResultSlots = 4;

    private const uint TcHandle = 1;
    private const uint TcPriority = 1;

    private readonly BpfObject _object;
    private readonly FastPathOptions _options;
    private readonly int _ifindex;
    private readonly int _sessions, _routes, _config, _traffic, _drops, _passes, _results;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _namespace;
    private bool _attached;
    private bool _createdClsact;
    private bool _disposed;

    private FastPath(BpfObject obj, FastPathOptions options, int ifindex)
    {
        _object = obj;
        _options = options;
        _ifindex = ifindex;
        _sessions = obj.MapFd(SessionsMap);
        _routes = obj.MapFd(RoutesMap);
        _config = obj.MapFd(ConfigMap);
        _traffic = obj.MapFd(TrafficMap);
        _drops = obj.MapFd(DropsMap);
        _passes = obj.MapFd(PassesMap);
        _results = obj.MapFd(ResultsMap);
    }

    public FastPathMode Mode => _options.Mode;

    public string InterfaceName => _options.InterfaceName;

    public string PinDirectory => _options.PinDirectory;

    /// <summary>The object file for a mode: XDP modes share relay_xdp.o.</summary>
    public static string ObjectFileName(FastPathMode mode) => mode == FastPathMode.Tc ? "relay_tc.o" : "relay_xdp.o";

    /// <summary>
    /// Loads, pins and attaches. Throws <see cref="FastPathException"/> whose message says what is
    /// missing (interface, object file, libbpf, permission, verifier, driver support, bpffs).
    /// </summary>
    public static FastPath Start(FastPathOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == FastPathMode.Off)
        {
            throw new ArgumentException("fast path mode is off: nothing to start", nameof(options));
        }
        var ifindex = (int)LibBpf.InterfaceIndex(options.InterfaceName);
        if (ifindex == 0)
        {
            throw new FastPathException($"fast path interface {options.InterfaceName} not found");
        }
        var fastPath = Load(options, ifindex);
        try
        {
            // Interface indexes mean something only in this network namespace: keep it for Detach.
            fastPath._namespace = File.OpenHandle("/proc/thread-self/ns/net");
            fastPath.Attach();
            return fastPath;
        }
        catch
        {
            fastPath.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="Start"/> for a relayd that may fall back to the user-space path: false with the
    /// reason (to log) instead of an exception.
    /// </summary>
    public static bool TryStart(FastPathOptions options, out FastPath? fastPath, out string? reason)
    {
        try
        {
            fastPath = Start(options);
            reason = null;
            return true;
        }
        catch (FastPathException e)
        {
            fastPath = null;
            reason = e.Message;
            return false;
        }
    }

    /// <summary>Loads the object and pins its maps without attaching: what BPF_PROG_TEST_RUN tests need.</summary>
    internal static FastPath Load(FastPathOptions options, int ifindex = 0)
    {
        var obj = BpfObject.Load(Path.Combine(options.ObjectDirectory, ObjectFileName(options.Mode)));
        FastPath? fastPath = null;
        try
        {
            fastPath = new FastPath(obj, options, ifindex);
            fastPath.PinMaps();
            fastPath.WriteConfig(ForwardingPolicy.IpsecOnly);
            return fastPath;
        }
        catch
        {
            if (fastPath is null)
            {
                obj.Dispose();
            }
            else
            {
                fastPath.Dispose();
            }
            throw;
        }
    }

    /// <summary>The descriptor of a program in the loaded object (tests run it with BPF_PROG_TEST_RUN).</summary>
    internal int ProgramFd(string name) => _object.ProgramFd(name);

    internal string MainProgram => Mode == FastPathMode.Tc ? "relay_tc" : "relay_xdp";

    private void PinMaps()
    {
        var directory = _options.PinDirectory;
        EnsureBpfFs();
        try
        {
            Directory.CreateDirectory(directory);
            // Pins a relayd that did not shut down cleanly left behind: replaced by this run's maps.
            foreach (var name in MapNames)
            {
                File.Delete(Path.Combine(directory, name));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FastPathException($"cannot use pin directory {directory} (is bpffs mounted at /sys/fs/bpf? mount -t bpf bpf /sys/fs/bpf): {e.Message}", e);
        }
        foreach (var name in MapNames)
        {
            _object.Pin(name, Path.Combine(directory, name));
        }
    }

    /// <summary>
    /// Mounts bpffs at /sys/fs/bpf when it is not there: `ip netns exec` and containers give a
    /// process a fresh /sys without it. The mount stays in this process's mount namespace.
    /// </summary>
    private static unsafe void EnsureBpfFs()
    {
        const string root = "/sys/fs/bpf";
        if (LibBpf.FileSystemType(root) == LibBpf.BPF_FS_MAGIC)
        {
            return;
        }
        if (!Directory.Exists(root) || LibBpf.Mount("bpf", root, "bpf", 0, null) != 0)
        {
            throw new FastPathException($"bpffs is not mounted at {root} and mounting it failed: {LibBpf.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
    }

    private void UnpinMaps()
    {
        var directory = _options.PinDirectory;
        try
        {
            foreach (var name in MapNames)
            {
                File.Delete(Path.Combine(directory, name));
            }
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start, which replaces stale pins.
        }
    }

    private unsafe void Attach()
    {
        var fd = _object.ProgramFd(MainProgram);
        if (Mode == FastPathMode.Tc)
        {
            var hook = TcHook();
            var created = LibBpf.TcHookCreate(&hook);
            if (created != 0 && created != -17) // EEXIST: a clsact qdisc is already there
            {
                throw new FastPathException($"cannot add a clsact qdisc to {InterfaceName}: {LibBpf.Describe(created)}");
            }
            _createdClsact = created == 0;
            var options = new LibBpf.TcOptions
            {
                Size = (nuint)sizeof(LibBpf.TcOptions), ProgramFd = fd, Flags = LibBpf.BPF_TC_F_REPLACE, Handle = TcHandle, Priority = TcPriority,
            };
            var error = LibBpf.TcAttach(&hook, &options);
            if (error != 0)
            {
                throw new FastPathException($"cannot attach the tc program to {InterfaceName} ingress: {LibBpf.Describe(error)}");
            }
        }
        else
        {
            // A program from an earlier run in the other XDP mode would make the attach fail.
            _ = LibBpf.XdpDetach(_ifindex, LibBpf.XDP_FLAGS_SKB_MODE, null);
            _ = LibBpf.XdpDetach(_ifindex, LibBpf.XDP_FLAGS_DRV_MODE, null);
            var flags = Mode == FastPathMode.Xdp ? LibBpf.XDP_FLAGS_DRV_MODE : LibBpf.XDP_FLAGS_SKB_MODE;
            var error = LibBpf.XdpAttach(_ifindex, fd, flags, null);
            if (error != 0)
            {
                throw new FastPathException(Mode == FastPathMode.Xdp
                    ? $"cannot attach native XDP to {InterfaceName} (driver without XDP support? try xdp-generic): {LibBpf.Describe(error)}"
                    : $"cannot attach generic XDP to {InterfaceName}: {LibBpf.Describe(error)}");
            }
        }
        _attached = true;
    }

    /// <summary>Detaches from inside the namespace Start ran in, whatever thread disposes.</summary>
    private void Detach()
    {
        if (!_attached)
        {
            return;
        }
        _attached = false;
        var thread = new Thread(() =>
        {
            // A thread of its own: setns would otherwise move a pool thread for good.
            if (_namespace is not null && LibBpf.SetNamespace((int)_namespace.DangerousGetHandle(), LibBpf.CLONE_NEWNET) != 0)
            {
                return; // cannot reach the interface; the next Start replaces the attachment
            }
            DetachHere();
        })
        { IsBackground = true, Name = "fast path detach" };
        thread.Start();
        thread.Join();
    }

    private unsafe void DetachHere()
    {
        if (Mode == FastPathMode.Tc)
        {
            var hook = TcHook();
            var options = new LibBpf.TcOptions { Size = (nuint)sizeof(LibBpf.TcOptions), Handle = TcHandle, Priority = TcPriority };
            _ = LibBpf.TcDetach(&hook, &options);
            if (_createdClsact)
            {
                hook.AttachPoint = LibBpf.BPF_TC_INGRESS | LibBpf.BPF_TC_EGRESS; // removes the clsact qdisc
                _ = LibBpf.TcHookDestroy(&hook);
            }
        }
        else
        {
            _ = LibBpf.XdpDetach(_ifindex, Mode == FastPathMode.Xdp ? LibBpf.XDP_FLAGS_DRV_MODE : LibBpf.XDP_FLAGS_SKB_MODE, null);
        }
    }

    private unsafe LibBpf.TcHook TcHook()
        => new() { Size = (nuint)sizeof(LibBpf.TcHook), IfIndex = _ifindex, AttachPoint = LibBpf.BPF_TC_INGRESS };

    public FastPathCounters ReadCounters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var drops = new long[DropSlots];
        var passes = new long[PassSlots];
        var results = new long[ResultSlots];
        Span<ulong> perCpu = new ulong[BpfMap.PossibleCpus];
        ReadArray(_drops, drops, perCpu);
        ReadArray(_passes, passes, perCpu);
        ReadArray(_results, results, perCpu);
        return new FastPathCounters(drops, passes, results[1], results[2], results[0], results[3]);
    }

    private static void ReadArray(int fd, long[] sums, Span<ulong> perCpu)
    {
        for (var i = 0u; i < sums.Length; i++)
        {
            if (!BpfMap.LookupPerCpu(fd, i, perCpu))
            {
                continue;
            }
            long sum = 0;
            foreach (var value in perCpu)
            {
                sum += (long)value;
            }
            sums[i] = sum;
        }
    }

    /// <summary>What the kernel did for the session with these local ids since it entered the map.</summary>
    public FastPathTraffic ReadTraffic(SessionKey key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<BpfTraffic> perCpu = new BpfTraffic[BpfMap.PossibleCpus];
        if (!BpfMap.LookupPerCpu(_traffic, BpfSessionKey.From(key.TunnelId, key.SessionId), perCpu))
        {
            return default;
        }
        long rxp = 0, rxb = 0, txp = 0, txb = 0, drops = 0;
        foreach (ref readonly var t in perCpu)
        {
            rxp += (long)t.ReceivedPackets;
            rxb += (long)t.ReceivedBytes;
            txp += (long)t.SentPackets;
            txb += (long)t.SentBytes;
            drops += (long)t.Drops;
        }
        return new FastPathTraffic(rxp, rxb, txp, txb, drops);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Detach();
        _namespace?.Dispose();
        UnpinMaps();
        _object.Dispose();
    }
}
