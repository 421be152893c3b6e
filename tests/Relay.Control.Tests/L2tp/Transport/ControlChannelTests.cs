using Relay.Control.L2tp.Transport;
using static Relay.Control.Tests.L2tp.Transport.ControlMessages;

namespace Relay.Control.Tests.L2tp.Transport;

public class ControlChannelTests
{
    private static readonly ReliableDeliveryOptions Defaults = new();

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void First_message_carries_ns_zero_and_the_next_expected_nr()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Enqueue(Numbered(1));
        channel.Poll(S(0), output);
        var sent = Assert.Single(output);
        Assert.Equal(0, Ns(sent));
        Assert.Equal(0, Nr(sent));
        Assert.Equal(1, channel.NextSequenceNumber);
    }

    // RFC 2661 §5.8: 1 s, then doubling, capped (not below 8 s); cleared after the configured retries.
    [Fact]
    public void Retransmits_with_backoff_capped_at_eight_seconds_then_fails()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Enqueue(Numbered(1));
        channel.Poll(S(0), output);
        var times = new List<double>();
        var now = S(0);
        while (!channel.Failed)
        {
            now = channel.NextDeadline(now)!.Value;
            output.Clear();
            channel.Poll(now, output);
            if (output.Count > 0)
            {
                times.Add(now.TotalSeconds);
                Assert.Equal(0, Ns(output[0]));
            }
        }
        Assert.Equal([1, 3, 7, 15, 23], times);
        Assert.Equal(31, now.TotalSeconds);
        Assert.Equal(S(31), Defaults.GiveUpAfter);
        Assert.Null(channel.NextDeadline(now));
        Assert.False(channel.Enqueue(Numbered(2)));
    }

    [Fact]
    public void Retry_count_and_cap_are_configurable()
    {
        var options = new ReliableDeliveryOptions { MaxRetransmissions = 3, MaxRetransmitInterval = S(16), InitialRetransmitInterval = S(2) };
        Assert.Equal([2, 4, 8, 16, 16], Enumerable.Range(0, 5).Select(k => options.RetransmitInterval(k).TotalSeconds));
        Assert.Equal(S(30), options.GiveUpAfter);
    }

    [Fact]
    public void Refuses_a_retransmission_cap_below_eight_seconds()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ControlChannel(new ReliableDeliveryOptions { MaxRetransmitInterval = S(4) }));

    [Fact]
    public void Retransmission_carries_the_updated_nr()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Enqueue(Numbered(1));
        channel.Poll(S(0), output);
        var peer = Numbered(99);
        peer[8] = 0; peer[9] = 0; // peer's Ns 0, Nr 0: acknowledges nothing of ours
        Assert.Equal(ReceiveOutcome.Delivered, channel.Receive(0, 0, false, peer, S(0.1)));
        output.Clear();
        channel.Poll(S(1), output);
        var retransmitted = Assert.Single(output);
        Assert.Equal(0, Ns(retransmitted));
        Assert.Equal(1, Nr(retransmitted));
    }

    [Fact]
    public void Delivered_message_is_acknowledged_by_a_zlb_after_the_ack_delay()
    {
        var channel = new ControlChannel(Defaults) { PeerTunnelId = 0x1234 };
        var output = new List<byte[]>();
        channel.Receive(0, 0, false, Numbered(1), S(0));
        channel.Poll(S(0.1), output);
        Assert.Empty(output);
        Assert.Equal(S(0.25), channel.NextDeadline(S(0.1)));
        channel.Poll(S(0.25), output);
        var zlb = Assert.Single(output);
        Assert.True(IsZeroLength(zlb));
        Assert.Equal(0, Ns(zlb));
        Assert.Equal(1, Nr(zlb));
        Assert.Equal(0x12, zlb[4]);
        Assert.Equal(0x34, zlb[5]);
        Assert.Equal(0, channel.NextSequenceNumber);
    }

    [Fact]
    public void A_reply_sent_before_the_ack_delay_carries_the_acknowledgement_and_no_zlb_follows()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Receive(0, 0, false, Numbered(1), S(0));
        channel.Enqueue(Numbered(2));
        channel.Poll(S(0.01), output);
        var reply = Assert.Single(output);
        Assert.False(IsZeroLength(reply));
        Assert.Equal(1, Nr(reply));
        output.Clear();
        channel.Poll(S(0.5), output);
        Assert.Empty(output);
    }

    // RFC 2661 §5.8: duplicates MUST be acknowledged (the peer's ZLB may have been lost).
    [Fact]
    public void Duplicate_is_dropped_and_acknowledged_at_once()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Receive(0, 0, false, Numbered(1), S(0));
        Assert.True(channel.TryTakeDelivered(out _));
        Assert.Equal(ReceiveOutcome.Duplicate, channel.Receive(0, 0, false, Numbered(1), S(0.3)));
        Assert.False(channel.TryTakeDelivered(out _));
        Assert.Equal(S(0.3), channel.NextDeadline(S(0.3)));
        channel.Poll(S(0.3), output);
        Assert.True(IsZeroLength(Assert.Single(output)));
        Assert.Equal(1, channel.DuplicatesReceived);
    }

    [Fact]
    public void Out_of_order_messages_inside_the_window_are_delivered_in_order()
    {
        var channel = new ControlChannel(Defaults);
        Assert.Equal(ReceiveOutcome.Queued, channel.Receive(2, 0, false, Numbered(3), S(0)));
        Assert.Equal(ReceiveOutcome.Queued, channel.Receive(1, 0, false, Numbered(2), S(0)));
        Assert.False(channel.TryTakeDelivered(out _));
        Assert.Equal(ReceiveOutcome.Delivered, channel.Receive(0, 0, false, Numbered(1), S(0)));
        var order = new List<int>();
        while (channel.TryTakeDelivered(out var m))
        {
            order.Add(NumberOf(m));
        }
        Assert.Equal([1, 2, 3], order);
        Assert.Equal(3, channel.ExpectedSequenceNumber);
    }

    [Fact]
    public void Message_beyond_the_receive_window_is_dropped_and_counted()
    {
        var channel = new ControlChannel(Defaults with { ReceiveWindow = 4 });
        Assert.Equal(ReceiveOutcome.OutOfWindow, channel.Receive(4, 0, false, Numbered(5), S(0)));
        Assert.Equal(1, channel.OutOfWindowDropped);
        Assert.Equal(ReceiveOutcome.Queued, channel.Receive(3, 0, false, Numbered(4), S(0)));
    }

    [Fact]
    public void Zlb_does_not_advance_nr_but_flushes_the_retransmit_queue()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Enqueue(Numbered(1));
        channel.Poll(S(0), output);
        Assert.Equal(ReceiveOutcome.Acknowledgement, channel.Receive(0, 1, true, new byte[12], S(0.2)));
        Assert.Equal(0, channel.ExpectedSequenceNumber);
        Assert.True(channel.IsIdle);
        Assert.Null(channel.NextDeadline(S(0.2)));
    }

    [Fact]
    public void Nr_acknowledging_unsent_messages_is_ignored_and_counted()
    {
        var channel = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        channel.Enqueue(Numbered(1));
        channel.Poll(S(0), output);
        channel.Receive(0, 5, true, new byte[12], S(0.1));
        Assert.Equal(1, channel.BogusAcknowledgements);
        Assert.Equal(1, channel.InFlightCount);
    }

    // RFC 2661 §5.8 and Appendix A: never more outstanding than min(CWND, peer's window); CWND
    // starts at one and grows by one per acknowledgement in slow start.
    [Fact]
    public void Slow_start_opens_the_window_one_message_per_acknowledgement_up_to_the_peer_window()
    {
        var channel = new ControlChannel(Defaults);
        channel.SetPeerReceiveWindow(4);
        var output = new List<byte[]>();
        for (var i = 0; i < 10; i++)
        {
            channel.Enqueue(Numbered(i));
        }
        channel.Poll(S(0), output);
        Assert.Single(output);
        channel.Receive(0, 1, true, new byte[12], S(0.1));
        output.Clear();
        channel.Poll(S(0.1), output);
        Assert.Equal(2, output.Count);
        channel.Receive(0, 3, true, new byte[12], S(0.2));
        output.Clear();
        channel.Poll(S(0.2), output);
        Assert.Equal(4, output.Count);
        Assert.Equal(4, channel.CongestionWindow);
        channel.Receive(0, 7, true, new byte[12], S(0.3));
        output.Clear();
        channel.Poll(S(0.3), output);
        Assert.Equal(3, output.Count);
        Assert.Equal(4, channel.CongestionWindow);
    }

    [Fact]
    public void Retransmission_halves_the_threshold_and_restarts_slow_start()
    {
        var channel = new ControlChannel(Defaults);
        channel.SetPeerReceiveWindow(8);
        var output = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            channel.Enqueue(Numbered(i));
        }
        channel.Poll(S(0), output);
        ushort acked = 0;
        for (var round = 0; round < 3; round++)
        {
            acked += (ushort)channel.InFlightCount;
            channel.Receive(0, acked, true, new byte[12], S(0.1 * (round + 1)));
            output.Clear();
            channel.Poll(S(0.1 * (round + 1)), output);
        }
        Assert.Equal(8, channel.CongestionWindow);
        channel.Poll(S(2), output);
        Assert.Equal(1, channel.CongestionWindow);
        Assert.Equal(8, channel.Retransmissions);
    }

    [Fact]
    public void Enqueue_refuses_when_the_queue_is_full()
    {
        var channel = new ControlChannel(Defaults with { MaxQueuedMessages = 2 });
        Assert.True(channel.Enqueue(Numbered(1)));
        Assert.True(channel.Enqueue(Numbered(2)));
        Assert.False(channel.Enqueue(Numbered(3)));
    }

    [Fact]
    public void Sequence_numbers_wrap_from_65535_to_0()
    {
        var sender = new ControlChannel(Defaults);
        var receiver = new ControlChannel(Defaults);
        var output = new List<byte[]>();
        var received = 0;
        for (var i = 0; i < 65540; i++)
        {
            sender.Enqueue(Numbered(i));
            output.Clear();
            sender.Poll(S(i), output);
            var m = Assert.Single(output);
            Assert.Equal(ReceiveOutcome.Delivered, receiver.Receive(Ns(m), Nr(m), false, m, S(i)));
            Assert.True(receiver.TryTakeDelivered(out var d));
            Assert.Equal(i, NumberOf(d));
            received++;
            sender.Receive(0, receiver.ExpectedSequenceNumber, true, new byte[12], S(i));
        }
        Assert.Equal(65540, received);
        Assert.Equal(4, receiver.ExpectedSequenceNumber);
    }
}
