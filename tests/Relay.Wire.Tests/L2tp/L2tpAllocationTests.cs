using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

public sealed class L2tpAllocationTests
{
    [Fact]
    public void Parsing_unhiding_and_writing_allocate_nothing()
    {
        var message = L2tpTestMessages.Build(L2tpMessageType.Iccn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt32(AvpType.TxConnectSpeed, 1_000_000, mandatory: true);
            w.WriteRandomVector(L2tpTestMessages.RandomVector);
            w.WriteHidden(AvpType.ProxyAuthenName, "a-user-name-longer-than-one-block"u8, mandatory: false, L2tpTestMessages.Secret, [1, 2]);
        });
        var output = new byte[256];
        var scratch = new byte[64];
        Assert.Equal(0, Exercise(message, output, scratch)); // also warms up JIT and the hash provider

        // xunit's Assert allocates, so the measured loop only counts failures.
        var failures = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            failures += Exercise(message, output, scratch);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    private static int Exercise(byte[] message, byte[] output, byte[] scratch)
    {
        var failures = 0;
        failures += L2tpControlMessage.TryParse(message, out var parsed) == L2tpParseStatus.Ok ? 0 : 1;
        foreach (var avp in parsed.Avps)
        {
            failures += avp.TryGetValue(L2tpTestMessages.Secret, scratch, out var value) == L2tpParseStatus.Ok ? 0 : 1;
            if (avp.Type == AvpType.TxConnectSpeed)
            {
                failures += L2tpAvpValues.TryReadTxConnectSpeed(value, out _) == L2tpParseStatus.Ok ? 0 : 1;
            }
        }
        var writer = new L2tpControlMessageWriter(output, 1, 2, 3, 4);
        writer.WriteMessageType(L2tpMessageType.Iccn);
        writer.WriteRandomVector(L2tpTestMessages.RandomVector);
        writer.WriteHidden(AvpType.ProxyAuthenName, "a-user-name-longer-than-one-block"u8, mandatory: false, L2tpTestMessages.Secret);
        writer.WriteResultCode(2, 6, "text"u8);
        failures += writer.TryFinish(out _) ? 0 : 1;
        failures += L2tpHeader.TryParse(message, out _) == L2tpParseStatus.Ok ? 0 : 1;
        return failures;
    }
}
