using System.Runtime.InteropServices;

namespace Relay.DataPlane.Workers;

/// <summary>Pins the calling thread to one CPU of those the process may use (sched_setaffinity(2)).</summary>
internal static unsafe partial class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs

    /// <summary>The CPUs this process may run on, in order (empty when the kernel does not say).</summary>
    public static int[] Allowed()
    {
        var mask = stackalloc ulong[MaskWords];
        if (sched_getaffinity(0, (nuint)(MaskWords * sizeof(ulong)), mask) < 0)
        {
            return [];
        }
        var cpus = new List<int>();
        for (var word = 0; word < MaskWords; word++)
        {
            for (var bit = 0; bit < 64; bit++)
            {
                if ((mask[word] & (1UL << bit)) != 0)
                {
                    cpus.Add((word * 64) + bit);
                }
            }
        }
        return [.. cpus];
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; returns 0 or the errno.</summary>
    public static int PinCurrentThread(int cpu)
    {
        var mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        return sched_setaffinity(0, (nuint)(MaskWords * sizeof(ulong)), mask) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint size, ulong* mask);
}
