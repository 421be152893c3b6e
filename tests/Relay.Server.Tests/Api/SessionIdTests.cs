using Relay.Control.Addressing;
using Relay.Server.Api;

namespace Relay.Server.Tests.Api;

public class SessionIdTests
{
    [Fact]
    public void A_session_id_is_tunnel_colon_session_both_ways()
    {
        Assert.Equal("12:7", SessionId.Format(new SessionKey(12, 7)));
        Assert.True(SessionId.TryParse("65535:1", out var key));
        Assert.Equal(new SessionKey(65535, 1), key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData(":7")]
    [InlineData("12:")]
    [InlineData("0:7")]
    [InlineData("12:0")]
    [InlineData("65536:1")]
    [InlineData("-1:2")]
    [InlineData("1:2:3")]
    [InlineData(" 1:2")]
    public void Anything_else_is_refused(string text) => Assert.False(SessionId.TryParse(text, out _));

    [Theory]
    [InlineData("pools[0].range", "range")]
    [InlineData("pools[12].exclusions[1]", "exclusions[1]")]
    [InlineData("pools[0]", "$")]
    [InlineData("name", "name")]
    public void Pool_problems_name_the_field_of_the_request_body(string path, string field) => Assert.Equal(field, PoolRequest.FieldOf(path));
}
