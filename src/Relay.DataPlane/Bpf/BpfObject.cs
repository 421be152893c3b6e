namespace Relay.DataPlane.Bpf;

/// <summary>
/// One loaded ELF object (<c>relay_xdp.o</c> or <c>relay_tc.o</c>): its programs and maps by
/// name. Closing it releases the object's descriptors; attachments and pins live on in the kernel
/// until detached and unpinned.
/// </summary>
internal sealed unsafe class BpfObject : IDisposable
{
    private nint _handle;

    private BpfObject(nint handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens and loads (verifies) the object; throws <see cref="FastPathException"/> saying why not.</summary>
    public static BpfObject Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FastPathException($"eBPF object {path} not found (make bpf builds it next to relayd)");
        }
        nint handle;
        try
        {
            handle = LibBpf.ObjectOpenFile(path, null);
        }
        catch (DllNotFoundException e)
        {
            throw new FastPathException("libbpf.so.1 is not installed (Debian package libbpf1)", e);
        }
        if (handle == 0)
        {
            throw new FastPathException($"cannot open eBPF object {path}: {LibBpf.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
        var error = LibBpf.ObjectLoad(handle);
        if (error != 0)
        {
            LibBpf.ObjectClose(handle);
            throw new FastPathException($"the kernel refused eBPF object {path}: {LibBpf.Describe(error)}"
                + (Math.Abs(error) == 1 ? " (needs CAP_BPF and CAP_NET_ADMIN)" : " (verifier log on stderr)"));
        }
        return new BpfObject(handle, path);
    }

    public int ProgramFd(string name)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        var program = LibBpf.FindProgram(_handle, name);
        return program == 0 ? throw new FastPathException($"{Path} has no program {name}") : LibBpf.ProgramFd(program);
    }

    public int MapFd(string name)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        var map = LibBpf.FindMap(_handle, name);
        return map == 0 ? throw new FastPathException($"{Path} has no map {name}") : LibBpf.MapFd(map);
    }

    public void Pin(string mapName, string path)
    {
        var map = LibBpf.FindMap(_handle, mapName);
        var error = map == 0 ? -2 : LibBpf.MapPin(map, path);
        if (error != 0)
        {
            throw new FastPathException($"cannot pin map {mapName} at {path}: {LibBpf.Describe(error)}");
        }
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            LibBpf.ObjectClose(_handle);
            _handle = 0;
        }
    }
}
