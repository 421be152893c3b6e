namespace Relay.DataPlane.Bpf;

/// <summary>Typed element operations on a map descriptor (cold path: the control loop and the API).</summary>
internal static unsafe class BpfMap
{
    public static void Update<TKey, TValue>(int fd, string map, in TKey key, in TValue value)
        where TKey : unmanaged where TValue : unmanaged
    {
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            var error = LibBpf.MapUpdate(fd, k, v, LibBpf.BPF_ANY);
            if (error != 0)
            {
                throw new FastPathException($"{map}: update failed: {LibBpf.Describe(error)}");
            }
        }
    }

    /// <summary>Writes the same value on every CPU of a per-CPU map.</summary>
    public static void UpdatePerCpu<TKey, TValue>(int fd, string map, in TKey key, TValue value)
        where TKey : unmanaged where TValue : unmanaged
    {
        var values = new TValue[PossibleCpus];
        values.AsSpan().Fill(value);
        fixed (TKey* k = &key)
        fixed (TValue* v = values)
        {
            var error = LibBpf.MapUpdate(fd, k, v, LibBpf.BPF_ANY);
            if (error != 0)
            {
                throw new FastPathException($"{map}: update failed: {LibBpf.Describe(error)}");
            }
        }
    }

    /// <summary>Deletes the key; false when it was not there.</summary>
    public static bool Delete<TKey>(int fd, in TKey key) where TKey : unmanaged
    {
        fixed (TKey* k = &key)
        {
            return LibBpf.MapDelete(fd, k) == 0;
        }
    }

    public static bool Lookup<TKey, TValue>(int fd, in TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            return LibBpf.MapLookup(fd, k, v) == 0;
        }
    }

    /// <summary>Reads one CPU's value per slot of <paramref name="perCpu"/> (length <see cref="PossibleCpus"/>).</summary>
    public static bool LookupPerCpu<TKey, TValue>(int fd, in TKey key, Span<TValue> perCpu) where TKey : unmanaged where TValue : unmanaged
    {
        fixed (TKey* k = &key)
        fixed (TValue* v = perCpu)
        {
            return LibBpf.MapLookup(fd, k, v) == 0;
        }
    }

    /// <summary>Per-CPU values come as one 8-octet-aligned slot per possible CPU.</summary>
    public static int PossibleCpus { get; } = Math.Max(1, LibBpfCpus());

    private static int LibBpfCpus()
    {
        try
        {
            return LibBpf.PossibleCpus();
        }
        catch (DllNotFoundException)
        {
            return Environment.ProcessorCount;
        }
    }
}
