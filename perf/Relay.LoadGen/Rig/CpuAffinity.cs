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

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SetAffinity(int pid, nuint size, ref ulong mask);
}
