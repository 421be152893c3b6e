using System.Runtime.InteropServices;

namespace Relay.LoadGen.Rig;

/// <summary>Pins the calling thread to one CPU (sched_setaffinity on the thread id 0 = caller).</summary>
internal static partial class CpuAffinity
{
    public static void PinCurrentThread(int cpu)
    {
        if (cpu < 0 || cpu >= Environment.ProcessorCount)
        {
            throw new ArgumentOutOfRangeException(nameof(cpu), $"cpu {cpu}: this machine has {Environment.ProcessorCount}");
        }
        Span<ulong> mask = stackalloc ulong[16];
        mask.Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (SetAffinity(0, (nuint)(mask.Length * sizeof(ulong)), ref MemoryMarshal.GetReference(mask)) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity cpu {cpu}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>
    /// Moves every thread of this process off <paramref name="cpu"/>; threads and commands started
    /// later inherit the mask. Keeps the load generator's runtime threads (GC, JIT, EventPipe) and
    /// the tools it runs off the relay CPU, whose busy time is the relay's cost.
    /// </summary>
    public static void KeepProcessOff(int cpu)
    {
        var count = Environment.ProcessorCount;
        if (count < 2 || cpu < 0 || cpu >= count)
        {
            return;
        }
        Span<ulong> mask = stackalloc ulong[16];
        mask.Clear();
        for (var i = 0; i < count && i < 1024; i++)
        {
            if (i != cpu)
            {
                mask[i / 64] |= 1UL << (i % 64);
            }
        }
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            // A thread that ended meanwhile fails with ESRCH: nothing to move.
            _ = SetAffinity(int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture),
                (nuint)(mask.Length * sizeof(ulong)), ref MemoryMarshal.GetReference(mask));
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SetAffinity(int pid, nuint size, ref ulong mask);
}
