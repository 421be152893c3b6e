using Relay.Server.Metrics;

namespace Relay.Server.Tests.Metrics;

/// <summary>The text exposition format 0.0.4, as Prometheus parses it.</summary>
public class PrometheusTextTests
{
    [Fact]
    public void Families_are_written_with_help_type_and_one_line_per_sample()
    {
        var families = new[]
        {
            new MetricFamily("relay_tunnels", MetricKind.Gauge, "Tunnels by state.")
                .Add(2, KeyValuePair.Create("state", "established")).Add(0, KeyValuePair.Create("state", "closing")),
            new MetricFamily("relay_setups_total", MetricKind.Counter, "Setups.").Add(7),
        };

        Assert.Equal("""
            # HELP relay_tunnels Tunnels by state.
            # TYPE relay_tunnels gauge
            relay_tunnels{state="established"} 2
            relay_tunnels{state="closing"} 0
            # HELP relay_setups_total Setups.
            # TYPE relay_setups_total counter
            relay_setups_total 7

            """.Replace("\r\n", "\n", StringComparison.Ordinal), PrometheusText.Write(families));
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        var family = new MetricFamily("x", MetricKind.Gauge, "a \\ b\nc \"q\"").Add(1, KeyValuePair.Create("pool", "a\"b\\c\nd"), KeyValuePair.Create("k", "v"));

        var text = PrometheusText.Write([family]);

        Assert.Contains("# HELP x a \\\\ b\\nc \"q\"\n", text, StringComparison.Ordinal);
        Assert.Contains("x{pool=\"a\\\"b\\\\c\\nd\",k=\"v\"} 1\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(65533.0, "65533")]
    [InlineData(0.25, "0.25")]
    [InlineData(1e21, "1E+21")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_are_written_as_the_format_reads_floats(double value, string text)
        => Assert.Equal(text, PrometheusText.FormatValue(value));

    [Theory]
    [InlineData("relay_tunnel_setups_total", "relay.tunnel_setups")]
    [InlineData("relay_sessions_ready", "relay.sessions_ready")]
    public void Meter_instruments_are_named_after_their_family(string family, string instrument)
        => Assert.Equal(instrument, RelayMeter.InstrumentName(family));

    [Fact]
    public void Names_are_snake_case()
    {
        Assert.Equal("handshake_timeout", Names.Snake("HandshakeTimeout"));
        Assert.Equal("lost_tie_breaker", Names.Of(Relay.Control.L2tp.TunnelCloseReason.LostTieBreaker));
    }
}
