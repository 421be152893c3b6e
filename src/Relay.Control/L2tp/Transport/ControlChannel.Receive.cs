namespace Relay.Control.L2tp.Transport;

public sealed partial class ControlChannel
{
    /// <summary>
    /// Takes one received control message (already parsed by the caller: its Ns, its Nr, and
    /// whether it is a ZLB, i.e. carries no AVP). The Nr acknowledges our messages; the message
    /// itself is delivered in order, held, or dropped.
    /// </summary>
    public ReceiveOutcome Receive(ushort ns, ushort nr, bool isZeroLength, byte[] message, TimeSpan now)
    {
        Acknowledge(nr);
        if (isZeroLength)
        {
            // A ZLB does not take a slot in the sequence space: its Ns does not move our Nr.
            return ReceiveOutcome.Acknowledgement;
        }
        if (SequenceNumber.IsBefore(ns, _expectedNs))
        {
            DuplicatesReceived++;
            _ackNow = true;
            return ReceiveOutcome.Duplicate;
        }
        var distance = SequenceNumber.Distance(_expectedNs, ns);
        if (distance >= _reorder.Length)
        {
            OutOfWindowDropped++;
            return ReceiveOutcome.OutOfWindow;
        }
        if (distance > 0)
        {
            var slot = ns % _reorder.Length;
            if (_reorder[slot] is not null)
            {
                DuplicatesReceived++;
                _ackNow = true;
                return ReceiveOutcome.Duplicate;
            }
            _reorder[slot] = message;
            // Tell the peer at once what we are missing: its retransmission of the gap is then
            // the only one it needs.
            _ackNow = true;
            return ReceiveOutcome.Queued;
        }
        DeliverInOrder(message);
        _ackDeadline ??= now + _options.AckDelay;
        return ReceiveOutcome.Delivered;
    }

    private void DeliverInOrder(byte[] message)
    {
        _delivered.Enqueue(message);
        _expectedNs++;
        while (true)
        {
            var slot = _expectedNs % _reorder.Length;
            var held = _reorder[slot];
            if (held is null)
            {
                return;
            }
            _reorder[slot] = null;
            _delivered.Enqueue(held);
            _expectedNs++;
        }
    }

    private void Acknowledge(ushort nr)
    {
        // Nr names the next message the peer expects: everything before it has arrived. An Nr
        // beyond what we ever sent is bogus and acknowledges nothing.
        if (SequenceNumber.IsBefore(_nextNs, nr))
        {
            BogusAcknowledgements++;
            return;
        }
        var acknowledged = 0;
        while (_inFlight.Count > 0 && SequenceNumber.IsBefore(_inFlight[0].Ns, nr))
        {
            _inFlight.RemoveAt(0);
            acknowledged++;
        }
        for (var i = 0; i < acknowledged; i++)
        {
            OpenCongestionWindow();
        }
    }

    /// <summary>RFC 2661 Appendix A: +1 per ACK in slow start, +1 per window's worth of ACKs after.</summary>
    private void OpenCongestionWindow()
    {
        if (_congestionWindow < _slowStartThreshold)
        {
            _congestionWindow++;
        }
        else if (++_avoidanceCount >= _congestionWindow)
        {
            _avoidanceCount = 0;
            _congestionWindow++;
        }
        if (_congestionWindow > PeerReceiveWindow)
        {
            _congestionWindow = PeerReceiveWindow;
        }
    }
}
