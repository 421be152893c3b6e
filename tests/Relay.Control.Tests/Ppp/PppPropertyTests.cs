using CsCheck;
using Relay.Control.Ppp;
using Relay.Wire.Ppp;

namespace Relay.Control.Tests.Ppp;

public sealed class PppPropertyTests
{
    private static readonly Gen<ushort> Protocols = Gen.OneOf(
        Gen.OneOfConst(PppProtocol.Lcp, PppProtocol.Ipcp, PppProtocol.Pap, PppProtocol.Chap, PppProtocol.Ccp, PppProtocol.Ipv6cp, PppProtocol.Ipv4),
        Gen.UShort.Select(p => (ushort)(p | 1)));

    /// <summary>A control packet with a plausible header (Code 0–15, right Length) and random options, or raw bytes.</summary>
    private static readonly Gen<byte[]> Information = Gen.OneOf(
        Gen.Byte.Array[0, 24],
        Gen.Select(Gen.Byte[0, 15], Gen.Byte, Gen.Byte.Array[0, 20]).Select(t =>
        {
            var packet = new byte[4 + t.Item3.Length];
            packet[0] = t.Item1;
            packet[1] = t.Item2;
            packet[3] = (byte)packet.Length;
            t.Item3.CopyTo(packet, 4);
            return packet;
        }));

    [Fact]
    public void Arbitrary_frames_never_throw_and_the_link_still_ends_agreed()
    {
        Gen.Select(Gen.Int[0, 1000], Gen.Select(Gen.Bool, Protocols, Information).Array[1, 12]).Sample(t =>
        {
            var (seed, frames) = t;
            var pair = PppSessionTests.UpPair(seed);
            foreach (var (toServer, protocol, information) in frames)
            {
                var frame = new byte[4 + information.Length];
                PppFrame.Write(frame, protocol, information);
                pair.Inject(toServer ? pair.Server : pair.Client, frame);
            }
            Assert.All(pair.Wire, w => Assert.True(PppFrame.Parse(w.Frame, out var f) == PppFrameStatus.Ok && w.Frame[0] == 0xFF && !f.IsProtocolCompressed));
            Assert.True(pair.RunUntil(() => (pair.BothReady && pair.Server.LcpState == PppFsmState.Opened && pair.Client.LcpState == PppFsmState.Opened) || pair.BothFinished,
                TimeSpan.FromMinutes(15)));
            pair.Server.Close("done", pair.Now);
            Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(15)));
            Assert.Null(pair.Server.NextDeadline());
            Assert.Null(pair.Client.NextDeadline());
        }, iter: 300);
    }

    [Fact]
    public void Any_loss_duplication_and_delay_ends_agreed_with_no_timer_left_after_close()
    {
        Gen.Select(Gen.Int[0, 100_000], Gen.Double[0, 0.35], Gen.Double[0, 0.3], Gen.Int[0, 2000]).Sample(t =>
        {
            var (seed, loss, duplication, delay) = t;
            var pair = new PppPair(seed: seed, loss: loss, duplication: duplication, maxDelayMs: delay);
            pair.Open();
            Assert.True(pair.RunUntil(() => pair.BothFinished || (pair.BothReady
                && pair.ServerEvents.OfType<NetworkReady>().Last().PeerAddress.Equals(pair.ClientEvents.OfType<NetworkReady>().Last().LocalAddress)),
                TimeSpan.FromMinutes(15)));
            pair.Client.Close("done", pair.Now);
            Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(15)));
            Assert.Null(pair.Server.NextDeadline());
            Assert.Null(pair.Client.NextDeadline());
        }, iter: 300);
    }
}
