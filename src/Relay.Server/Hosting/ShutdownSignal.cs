using System.Runtime.InteropServices;

namespace Relay.Server.Hosting;

/// <summary>Turns SIGTERM and SIGINT into a wait handle; the default termination is cancelled so the daemon exits 0.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly ManualResetEventSlim _signalled = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        ];
    }

    public PosixSignal? Received { get; private set; }

    public void Wait() => _signalled.Wait();

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _signalled.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received = context.Signal;
        _signalled.Set();
    }
}
