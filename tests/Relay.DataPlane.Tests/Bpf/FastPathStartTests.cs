using Relay.DataPlane.Bpf;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>A fast path that cannot start says why, so relayd can log it and fall back (or refuse).</summary>
public sealed class FastPathStartTests
{
    [Fact]
    public void An_unknown_interface_is_named_in_the_reason()
    {
        Assert.False(FastPath.TryStart(new FastPathOptions(FastPathMode.Xdp, "nosuchif0") { ObjectDirectory = BpfObjects.Directory },
            out var fastPath, out var reason));
        Assert.Null(fastPath);
        Assert.Equal("fast path interface nosuchif0 not found", reason);
    }

    [Fact]
    public void A_missing_object_file_is_named_in_the_reason()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"relay-no-bpf-{Guid.NewGuid():N}");
        Assert.False(FastPath.TryStart(new FastPathOptions(FastPathMode.Tc, "lo") { ObjectDirectory = directory }, out _, out var reason));
        Assert.Equal($"eBPF object {Path.Combine(directory, "relay_tc.o")} not found (make bpf builds it next to relayd)", reason);
    }

    [Fact]
    public void Off_is_not_a_mode_to_start()
        => Assert.Throws<ArgumentException>(() => FastPath.Start(new FastPathOptions(FastPathMode.Off, "lo")));
}
