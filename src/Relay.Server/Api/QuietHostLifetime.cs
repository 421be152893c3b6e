using Microsoft.Extensions.Hosting;

namespace Relay.Server.Api;

/// <summary>
/// The control API's host takes no signals of its own: relayd's ShutdownSignal owns SIGTERM and
/// SIGINT (StopCCN to every tunnel, then the API stops), so the generic host's console lifetime,
/// which would also react to them (even while Kestrel is still starting), is replaced by this.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
