namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// An <see cref="IPppAuthenticator"/>'s answer. Accepted: the addresses the user may have (the
/// secrets-file column: empty = any from the pools, one address = static, <c>-</c> = none; a
/// RADIUS Framed-IP-Address maps to one address). Rejected: a <see cref="Reason"/> for the log,
/// never a secret. <see cref="Message"/> is the Message field sent to the peer (PAP Ack/Nak,
/// CHAP Success/Failure); for MS-CHAPv2 an accept must carry the Success message
/// <c>S=... M=...</c> (RFC 2759 §5) and a reject may carry the Failure message <c>E=... R=... C=... V=3 M=...</c> (§6).
/// Null means the engine's default text (MS-CHAPv2: E=691 without retry).
/// </summary>
public sealed class PppAuthVerdict
{
    private readonly byte[]? _message;

    private PppAuthVerdict(PppAuthDecision decision, string reason, IReadOnlyList<string> addresses, PppCredential? credential, byte[]? message)
    {
        Decision = decision;
        Reason = reason;
        Addresses = addresses;
        Credential = credential;
        _message = message;
    }

    /// <summary>The back end will answer later (<see cref="PppSession.CompleteAuthentication"/>).</summary>
    public static PppAuthVerdict Pending { get; } = new(PppAuthDecision.Pending, "", [], null, null);

    public PppAuthDecision Decision { get; }

    public bool IsAccepted => Decision == PppAuthDecision.Accepted;

    public bool IsPending => Decision == PppAuthDecision.Pending;

    /// <summary>Why it was rejected, for the log; empty unless rejected.</summary>
    public string Reason { get; }

    /// <summary>Accepted: the addresses the user may use (see the class summary); empty otherwise.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The secrets line that matched, when a secrets file judged; null from a back end that holds no secrets.</summary>
    public PppCredential? Credential { get; }

    /// <summary>The Message field for the peer; null = the engine's default.</summary>
    public ReadOnlySpan<byte> Message => _message;

    public bool HasMessage => _message is not null;

    /// <summary>Accepted by a back end that holds no secrets (RADIUS Access-Accept).</summary>
    public static PppAuthVerdict Accept(IReadOnlyList<string>? addresses = null, ReadOnlySpan<byte> message = default) =>
        new(PppAuthDecision.Accepted, "", addresses ?? [], null, NullIfEmpty(message));

    /// <summary>Accepted against a secrets line; its addresses apply.</summary>
    public static PppAuthVerdict Accept(PppCredential credential, ReadOnlySpan<byte> message = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new(PppAuthDecision.Accepted, "", credential.Addresses, credential, NullIfEmpty(message));
    }

    /// <summary>Rejected; <paramref name="reason"/> goes to the log and must not contain a secret.</summary>
    public static PppAuthVerdict Reject(string reason, ReadOnlySpan<byte> message = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new(PppAuthDecision.Rejected, reason, [], null, NullIfEmpty(message));
    }

    public override string ToString() => Decision == PppAuthDecision.Rejected ? $"{Decision}: {Reason}" : Decision.ToString();

    private static byte[]? NullIfEmpty(ReadOnlySpan<byte> message) => message.IsEmpty ? null : message.ToArray();
}
