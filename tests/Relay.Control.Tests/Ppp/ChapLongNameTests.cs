using Relay.Control.Ppp;

namespace Relay.Control.Tests.Ppp;

/// <summary>CHAP Names are not length-limited by RFC 1994 §4.1 beyond the packet: long ones must pass whole.</summary>
public class ChapLongNameTests
{
    [Theory]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.MsChapV2)]
    public void User_name_of_300_octets_authenticates(PppAuthMethod method)
    {
        var user = new string('u', 300);
        var server = PppPair.DefaultServer() with
        {
            AuthMethods = [method],
            Credentials = new InMemoryCredentials().Add(user, "relay", "long-name-secret"),
        };
        var client = PppPair.DefaultClient(user, "long-name-secret") with { AuthMethods = [method] };
        var pair = new PppPair(server, client);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Equal(user, pair.ServerEvents.OfType<Authenticated>().Single().User);
    }
}
