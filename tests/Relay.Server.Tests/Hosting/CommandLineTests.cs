using Relay.Server.Configuration;
using Relay.Server.Hosting;

namespace Relay.Server.Tests.Hosting;

public class CommandLineTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Help_names_every_option_and_the_exit_codes()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--config PATH", "--check-config PATH", "--print-default-config", "--print-firewall", "--help", "--version", "docs/configuration.md", "SIGTERM", "Exit codes" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Print_default_config_prints_json_that_loads_back()
    {
        var (code, output, _) = Run("--print-default-config");
        Assert.Equal(0, code);
        var (config, errors) = ConfigLoader.Load(output);
        Assert.Empty(errors);
        Assert.Equal(output.TrimEnd(), ConfigLoader.Serialize(config!));
    }

    [Fact]
    public void Unknown_argument_is_a_usage_error() => Assert.Equal(2, Run("--frobnicate").Code);

    [Fact]
    public void Check_config_names_each_bad_field_on_stderr_and_exits_2()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"listen":{"stun":"x"},"metrics":{"listen":"y"}}""");
            var (code, _, err) = Run("--check-config", path);
            Assert.Equal(2, code);
            Assert.Contains("listen.stun: not an address:port", err, StringComparison.Ordinal);
            Assert.Contains("metrics.listen: not an address:port", err, StringComparison.Ordinal);
            Assert.Equal(2, Run("--config", path).Code);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
