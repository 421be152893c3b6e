using System.Net;
using Relay.DataPlane.Bpf;
using Relay.Server.Configuration;
using Relay.Server.DataPlane;

namespace Relay.Server.Tests.Configuration;

/// <summary>The dataplane.fastPath keys: spellings, the interface they need, and what relayd starts with.</summary>
public class FastPathConfigTests
{
    private static string[] Errors(string json) => ConfigLoader.Load(json).Errors.Select(e => e.ToString()).ToArray();

    [Theory]
    [InlineData("off", FastPathMode.Off)]
    [InlineData("xdp", FastPathMode.Xdp)]
    [InlineData("xdp-generic", FastPathMode.XdpGeneric)]
    [InlineData("tc", FastPathMode.Tc)]
    public void Each_mode_spelling_reaches_the_setup(string text, FastPathMode mode)
    {
        var (config, errors) = ConfigLoader.Load($$$"""{"dataplane":{"fastPath":"{{{text}}}","fastPathInterface":"eth0","fastPathRequired":true}}""");
        Assert.Empty(errors);
        var setup = DataPlaneSetup.FromConfig(config!, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1701));
        Assert.Equal(mode, setup.FastPath.Mode);
        Assert.Equal("eth0", setup.FastPath.InterfaceName);
        Assert.Equal("/sys/fs/bpf/relay", setup.FastPath.PinDirectory);
        Assert.Equal(0xC0000201u, setup.FastPath.LocalAddress);
        Assert.True(setup.FastPathRequired);
        // Receive GRO would hand tc merged trains (which it must leave to user space); the others run before GRO.
        Assert.Equal(mode != FastPathMode.Tc, setup.Pool.Gro);
    }

    [Fact]
    public void Off_by_default_and_an_unbound_listener_leaves_the_source_to_the_kernel()
    {
        var (config, _) = ConfigLoader.Load("{}");
        var setup = DataPlaneSetup.FromConfig(config!, new IPEndPoint(IPAddress.Any, 1701));
        Assert.Equal(FastPathMode.Off, setup.FastPath.Mode);
        Assert.Equal(0u, setup.FastPath.LocalAddress);
        Assert.False(setup.FastPathRequired);
    }

    [Theory]
    [InlineData("""{"dataplane":{"fastPath":"ebpf"}}""", "dataplane.fastPath: must be \"off\", \"xdp\", \"xdp-generic\" or \"tc\"")]
    [InlineData("""{"dataplane":{"fastPath":"xdp"}}""", "dataplane.fastPathInterface: must name the uplink interface (1 to 15 characters) when dataplane.fastPath is not \"off\"")]
    [InlineData("""{"dataplane":{"fastPath":"tc","fastPathInterface":"a-very-long-interface"}}""", "dataplane.fastPathInterface: must name the uplink interface (1 to 15 characters) when dataplane.fastPath is not \"off\"")]
    [InlineData("""{"dataplane":{"fastPathPins":"/tmp/relay"}}""", "dataplane.fastPathPins: must be a directory under /sys/fs/bpf/")]
    public void Bad_values_name_the_key(string json, string expected)
        => Assert.Equal([expected], Errors(json));
}
