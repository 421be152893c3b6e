using Relay.DataPlane.Bpf;

namespace Relay.Server.Configuration;

/// <summary>The <c>dataplane.fastPath</c> spellings.</summary>
internal static class FastPathModes
{
    public static FastPathMode? Parse(string? text) => text switch
    {
        "off" => FastPathMode.Off,
        "xdp" => FastPathMode.Xdp,
        "xdp-generic" => FastPathMode.XdpGeneric,
        "tc" => FastPathMode.Tc,
        _ => null,
    };
}
