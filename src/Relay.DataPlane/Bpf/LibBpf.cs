using System.Runtime.InteropServices;

namespace Relay.DataPlane.Bpf;

/// <summary>
/// The part of libbpf 1.x (Debian <c>libbpf1</c>) the fast path uses, and the x86-64/arm64 layouts
/// of the option structs it takes (checked against libbpf 1.1's headers). libbpf 1.x returns
/// <c>-errno</c> from int functions and sets errno when a pointer function returns NULL.
/// </summary>
internal static unsafe partial class LibBpf
{
    private const string Library = "libbpf.so.1";

    public const uint XDP_FLAGS_SKB_MODE = 2;
    public const uint XDP_FLAGS_DRV_MODE = 4;

    public const int BPF_TC_INGRESS = 1;
    public const int BPF_TC_EGRESS = 2;
    public const uint BPF_TC_F_REPLACE = 1;

    public const ulong BPF_ANY = 0;

    [StructLayout(LayoutKind.Sequential, Size = 24)]
    public struct TcHook
    {
        public nuint Size;
        public int IfIndex;
        public int AttachPoint;
        public uint Parent;
    }

    [StructLayout(LayoutKind.Sequential, Size = 32)]
    public struct TcOptions
    {
        public nuint Size;
        public int ProgramFd;
        public uint Flags;
        public uint ProgramId;
        public uint Handle;
        public uint Priority;
    }

    [StructLayout(LayoutKind.Sequential, Size = 80)]
    public struct TestRunOptions
    {
        public nuint Size;
        public void* DataIn;
        public void* DataOut;
        public uint DataSizeIn;
        public uint DataSizeOut;
        public void* ContextIn;
        public void* ContextOut;
        public uint ContextSizeIn;
        public uint ContextSizeOut;
        public uint ReturnValue;
        public int Repeat;
        public uint Duration;
        public uint Flags;
        public uint Cpu;
        public uint BatchSize;
    }

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint ObjectOpenFile(string path, void* options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    public static partial int ObjectLoad(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    public static partial void ObjectClose(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindProgram(nint obj, string name);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    public static partial int ProgramFd(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindMap(nint obj, string name);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    public static partial int MapFd(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__pin", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MapPin(nint map, string path);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    public static partial int MapUpdate(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem")]
    public static partial int MapDelete(int fd, void* key);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    public static partial int MapLookup(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int PossibleCpus();

    [LibraryImport(Library, EntryPoint = "bpf_xdp_attach")]
    public static partial int XdpAttach(int ifindex, int programFd, uint flags, void* options);

    [LibraryImport(Library, EntryPoint = "bpf_xdp_detach")]
    public static partial int XdpDetach(int ifindex, uint flags, void* options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_create")]
    public static partial int TcHookCreate(TcHook* hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_destroy")]
    public static partial int TcHookDestroy(TcHook* hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_attach")]
    public static partial int TcAttach(TcHook* hook, TcOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_detach")]
    public static partial int TcDetach(TcHook* hook, TcOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_prog_test_run_opts")]
    public static partial int TestRun(int programFd, TestRunOptions* options);

    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial uint InterfaceIndex(string name);

    public const int CLONE_NEWNET = 0x40000000;

    /// <summary>statfs f_type of a bpffs mount.</summary>
    public const long BPF_FS_MAGIC = 0xcafe4a11;

    [LibraryImport("libc", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int StatFs(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mount(string source, string target, string type, ulong flags, void* data);

    /// <summary>The filesystem type of the mount holding <paramref name="path"/>, or 0 when statfs fails.</summary>
    public static long FileSystemType(string path)
    {
        var buffer = stackalloc byte[256]; // struct statfs: 120 octets on x86-64, f_type first
        return StatFs(path, buffer) == 0 ? *(long*)buffer : 0;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNamespace(int fd, int type);

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial nint StrError(int errno);

    /// <summary>"EPERM (Operation not permitted)"-style text for a libbpf result or errno.</summary>
    public static string Describe(int error)
    {
        var errno = Math.Abs(error);
        return $"{Marshal.PtrToStringUTF8(StrError(errno))} (errno {errno})";
    }
}
