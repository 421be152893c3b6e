using System.Text.RegularExpressions;
using Relay.DataPlane.Bpf;
using Relay.DataPlane.Forwarding;
using Relay.Testing;

namespace Relay.DataPlane.Tests.Bpf;

/// <summary>The C enums in native/bpf/lib/drop.h and their C# twins agree name for name, number for number.</summary>
public sealed partial class NativeMirrorTests
{
    private static readonly string DropHeader = Path.Combine(RepositoryPaths.Root, "native", "bpf", "lib", "drop.h");

    [Fact]
    public void Every_drop_reason_has_the_same_number_in_C_and_CSharp()
    {
        var native = Members("RELAY_DROP_");
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            var name = DropReasons.Name(reason).ToUpperInvariant();
            Assert.True(native.TryGetValue(name, out var value), $"drop.h lacks RELAY_DROP_{name}");
            Assert.Equal((int)reason, value);
        }
        native.Remove("MAX");
        Assert.Equal(Enum.GetValues<DropReason>().Length, native.Count);
        Assert.True(DropReasons.Count <= FastPath.DropSlots, "the kernel drop counter array is too small");
    }

    [Fact]
    public void Every_pass_reason_has_the_same_number_in_C_and_CSharp()
    {
        var native = Members("RELAY_PASS_");
        native.Remove("MAX");
        foreach (var reason in Enum.GetValues<FastPathPass>())
        {
            var name = Snake().Replace(reason.ToString(), "$1_$2").ToUpperInvariant();
            Assert.True(native.TryGetValue(name, out var value), $"drop.h lacks RELAY_PASS_{name}");
            Assert.Equal((int)reason, value);
        }
        Assert.Equal(Enum.GetValues<FastPathPass>().Length, native.Count);
    }

    private static Dictionary<string, int> Members(string prefix)
    {
        var members = new Dictionary<string, int>();
        foreach (Match m in Regex.Matches(File.ReadAllText(DropHeader), $@"\b{prefix}([A-Z0-9_]+)\s*=\s*(\d+)"))
        {
            members.Add(m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return members;
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex Snake();
}
