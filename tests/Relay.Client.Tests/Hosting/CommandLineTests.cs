using Relay.Client.Hosting;

namespace Relay.Client.Tests.Hosting;

public class CommandLineTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Help_names_every_option_the_hook_variables_signals_and_exit_codes()
    {
        var (code, text, _) = Run("--help");

        Assert.Equal(0, code);
        foreach (var needed in new[] { "--config PATH", "--probe", "--check-config PATH", "--print-default-config", "--help", "--version",
            "docs/configuration.md", "SIGTERM", "Exit codes", "RELAY_LOCAL_ADDRESS", "RELAY_PEER_ADDRESS", "RELAY_MTU", "RELAY_ROUTES", "relay0" })
        {
            Assert.Contains(needed, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Version_prints_the_version()
    {
        Assert.Equal((0, $"relay-client {CommandLine.Version}\n", ""), Run("--version"));
    }

    [Fact]
    public void Check_config_prints_every_error_with_its_path_and_exits_2()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "relay": "x", "mode": "y", "ppp": { "user": "u", "password": "p" } }""");
            var (code, _, errors) = Run("--check-config", path);

            Assert.Equal(2, code);
            Assert.Contains($"{path}: relay: not an IPv4 address", errors, StringComparison.Ordinal);
            Assert.Contains($"{path}: mode: must be", errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Running_without_a_config_or_with_an_unknown_argument_is_bad_usage()
    {
        Assert.Equal(2, Run().Code);
        Assert.Contains("unknown argument '--frobnicate'", Run("--frobnicate").Err, StringComparison.Ordinal);
        Assert.Contains("--config needs a PATH", Run("--config").Err, StringComparison.Ordinal);
    }
}
