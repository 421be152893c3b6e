using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

public class PoolValidatorTests
{
    private static string[] Problems(IReadOnlyList<PoolDefinition> pools, params uint[] server)
        => [.. PoolValidator.Validate(pools, server).Select(p => p.ToString())];

    [Fact]
    public void Disjoint_pools_with_inside_exclusions_have_no_problems()
    {
        Assert.Empty(Problems([Pool("a", "10.0.0.0/24", "10.0.0.1", "10.0.0.128/25"), Pool("b", "10.0.1.0/24")], A("10.0.0.1"), A("192.0.2.1")));
    }

    [Fact]
    public void Overlapping_pools_are_reported_naming_both()
    {
        Assert.Equal(
            [
                "pools[1].range \"b\": 10.0.0.128/25 overlaps pools[0] \"a\" 10.0.0.0/24",
                "pools[2].range \"c\": 10.0.0.0/16 overlaps pools[0] \"a\" 10.0.0.0/24",
                "pools[2].range \"c\": 10.0.0.0/16 overlaps pools[1] \"b\" 10.0.0.128/25",
            ],
            Problems([Pool("a", "10.0.0.0/24"), Pool("b", "10.0.0.128/25"), Pool("c", "10.0.0.0/16")]));
    }

    [Fact]
    public void Duplicate_and_empty_names_are_reported()
    {
        Assert.Equal(
            ["pools[1].name \"a\": duplicate of pools[0] \"a\"", "pools[2].name \" \": must not be empty"],
            Problems([Pool("a", "10.0.0.0/24"), Pool("a", "10.0.1.0/24"), Pool(" ", "10.0.2.0/24")]));
    }

    [Fact]
    public void A_server_address_the_pool_would_hand_out_is_reported_unless_excluded()
    {
        Assert.Equal(
            ["pools[0].range \"a\": 10.0.0.0/24 contains the server's own address 10.0.0.1; add it to exclusions or move the pool"],
            Problems([Pool("a", "10.0.0.0/24"), Pool("b", "10.0.1.0/24", "10.0.1.1")], A("10.0.0.1"), A("10.0.1.1"), A("10.0.1.255")));
    }

    [Fact]
    public void Exclusions_outside_the_range_are_reported_by_index()
    {
        Assert.Equal(
            [
                "pools[0].exclusions[1] \"a\": 10.0.1.5 is not inside the pool's range 10.0.0.0/24",
                "pools[0].exclusions[2] \"a\": 10.0.0.0/23 is not inside the pool's range 10.0.0.0/24",
            ],
            Problems([Pool("a", "10.0.0.0/24", "10.0.0.9", "10.0.1.5", "10.0.0.0/23")]));
    }

    [Fact]
    public void A_pool_left_with_no_usable_address_is_reported()
    {
        Assert.Equal(
            [
                "pools[0].range \"a\": 10.0.0.0/30 has no usable address left after the network, broadcast, excluded and server addresses",
                "pools[1].range \"b\": 10.0.1.0 has no usable address left after the network, broadcast, excluded and server addresses",
            ],
            Problems([Pool("a", "10.0.0.0/30", "10.0.0.1", "10.0.0.2"), Pool("b", "10.0.1.0/32", "10.0.1.0")], A("10.0.0.2")));
    }

    [Fact]
    public void Every_problem_is_returned_at_once()
    {
        var problems = Problems([Pool("a", "10.0.0.0/24", "10.9.0.0"), Pool("a", "10.0.0.0/24")], A("10.0.0.7"));

        Assert.Equal(5, problems.Length);
        Assert.All(problems, p => Assert.Matches("^pools\\[[01]\\]", p));
    }
}
