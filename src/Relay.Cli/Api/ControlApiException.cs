namespace Relay.Cli.Api;

/// <summary>A failure that ends relayctl with <see cref="ExitCode"/> and <see cref="Exception.Message"/> on stderr.</summary>
internal sealed class ControlApiException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
