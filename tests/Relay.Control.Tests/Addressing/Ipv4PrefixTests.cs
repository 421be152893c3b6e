using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

public class Ipv4PrefixTests
{
    [Theory]
    [InlineData("10.201.0.0/16", 0x0AC90000u, 16)]
    [InlineData("10.0.0.5", 0x0A000005u, 32)]
    [InlineData("0.0.0.0/0", 0u, 0)]
    public void Prefixes_and_bare_addresses_parse(string text, uint network, int length)
    {
        Assert.True(Ipv4Prefix.TryParse(text, out var prefix));
        Assert.Equal((network, length), (prefix.Network, prefix.PrefixLength));
    }

    [Theory]
    [InlineData("10.0.0.1/24")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/24")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.0/")]
    [InlineData("")]
    public void Host_bits_and_malformed_text_do_not_parse(string text)
    {
        Assert.False(Ipv4Prefix.TryParse(text, out _));
    }

    [Fact]
    public void Containment_and_overlap_follow_the_prefix_lengths()
    {
        Assert.True(P("10.0.0.0/24").Contains(P("10.0.0.128/25")));
        Assert.False(P("10.0.0.128/25").Contains(P("10.0.0.0/24")));
        Assert.True(P("10.0.0.128/25").Overlaps(P("10.0.0.0/24")));
        Assert.False(P("10.0.0.0/25").Overlaps(P("10.0.0.128/25")));
        Assert.Equal(A("10.0.0.255"), P("10.0.0.0/24").Last);
    }

    [Fact]
    public void Addresses_convert_to_and_from_ip_address_in_network_order()
    {
        var address = Ipv4Address.ToIPAddress(A("192.0.2.33"));

        Assert.Equal("192.0.2.33", address.ToString());
        Assert.Equal(A("192.0.2.33"), Ipv4Address.FromIPAddress(address));
        Assert.Equal("192.0.2.33", Ipv4Address.Format(0xC0000221));
    }
}
