using System.Runtime.InteropServices;
using Relay.DataPlane.Sockets;

namespace Relay.Client.Hosting;

/// <summary>
/// SIGTERM and SIGINT as an eventfd the main loop polls beside its socket and TUN, so a signal wakes
/// the loop at once without a timeout loop. The default termination is cancelled so teardown can run.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public ShutdownSignal()
    {
        Fd = Native.eventfd(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        if (Fd < 0)
        {
            throw new IOException($"eventfd: errno {Marshal.GetLastPInvokeError()}");
        }
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        ];
    }

    /// <summary>Readable once a signal arrived.</summary>
    public int Fd { get; }

    public bool IsSet => Volatile.Read(ref _received) != 0;

    public PosixSignal? Received { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _ = Native.close(Fd);
    }

    private unsafe void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received = context.Signal;
        Volatile.Write(ref _received, 1);
        ulong one = 1;
        _ = Native.write(Fd, &one, sizeof(ulong));
    }
}
