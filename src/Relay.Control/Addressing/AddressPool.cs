namespace Relay.Control.Addressing;

/// <summary>
/// One pool's addresses and who holds them. Created and changed only through <see cref="LeaseTable"/>;
/// the public surface is read-only (name, range, realm, counts).
/// </summary>
/// <remarks>
/// <para>Usable addresses: the whole range minus the network and broadcast addresses (for /30 and
/// shorter; a /31 has two usable addresses as in RFC 3021, a /32 one), minus the exclusions, minus
/// the server's own addresses.</para>
/// <para>Layout, per address of the range (direct index <c>address - Range.Network</c>): a
/// <see cref="SessionKey"/> (4 bytes, <c>default</c> = free), a flag byte, and a 4-byte slot in the
/// free queue: 9 bytes per address, allocated once. Free addresses wait in a FIFO ring, so
/// allocation and release are O(1) and a released address is handed out again only after every
/// other free address has been (oldest-released first).</para>
/// </remarks>
public sealed partial class AddressPool
{
    /// <summary>The largest pool is a /12 (1,048,576 addresses, about 9 MiB of tables).</summary>
    public const int MinPrefixLength = 12;

    // Flag byte: the low two bits say why an address is never handed out; two state bits.
    internal const byte Open = 0, Boundary = 1, Server = 2, Excluded = 3, ReasonMask = 0x03;
    private const byte StaticBit = 0x40, QueuedBit = 0x80;

    internal readonly uint Base;
    internal readonly uint Length;
    internal readonly SessionKey[] Slots;
    private readonly byte[] _flags;
    private readonly int[] _queue;
    private int _head;
    private int _queued;

    internal AddressPool(PoolDefinition definition, ReadOnlySpan<uint> serverAddresses)
    {
        Definition = definition;
        if (definition.Range.PrefixLength < MinPrefixLength)
        {
            ThrowTooLarge(definition);
        }
        Base = definition.Range.Network;
        Length = (uint)definition.Range.Size;
        _flags = BuildFlags(definition, serverAddresses, out var usable);
        Usable = usable;
        Slots = new SessionKey[Length];
        _queue = new int[Math.Max(usable, 1)];
        for (var offset = 0; offset < _flags.Length; offset++)
        {
            if (_flags[offset] == Open)
            {
                _flags[offset] = QueuedBit;
                _queue[_queued++] = offset;
            }
        }
    }

    public PoolDefinition Definition { get; }

    public string Name => Definition.Name;

    public Ipv4Prefix Range => Definition.Range;

    public PoolRealm Realm => Definition.Realm;

    /// <summary>Addresses in the range, usable or not.</summary>
    public int Size => (int)Length;

    /// <summary>Addresses this pool may hand out (dynamically or as static addresses).</summary>
    public int Usable { get; }

    /// <summary>Addresses leased now.</summary>
    public int Used { get; private set; }

    public int Free => Usable - Used;

    /// <summary>Set by <see cref="LeaseTable.Drain"/>: no new leases; removable once <see cref="Used"/> is 0.</summary>
    public bool IsDraining { get; internal set; }

    public bool Contains(uint address) => address - Base < Length;

    /// <summary>Takes the free address released longest ago (or never leased).</summary>
    internal bool TryAllocate(SessionKey session, out uint address)
    {
        while (_queued > 0)
        {
            var offset = _queue[_head];
            _head = _head + 1 == _queue.Length ? 0 : _head + 1;
            _queued--;
            _flags[offset] &= unchecked((byte)~QueuedBit);
            // A static lease may have taken a queued address; its entry is stale, skip it.
            if (Slots[offset].IsNone)
            {
                Slots[offset] = session;
                Used++;
                address = Base + (uint)offset;
                return true;
            }
        }
        address = 0;
        return false;
    }

    /// <summary>Why <paramref name="address"/> (inside the range) cannot be leased statically, or <see cref="LeaseResult.Ok"/>.</summary>
    internal LeaseResult CheckStatic(uint address)
    {
        var offset = address - Base;
        return (_flags[offset] & ReasonMask) switch
        {
            Excluded => LeaseResult.Excluded,
            Boundary or Server => LeaseResult.Reserved,
            _ => IsDraining ? LeaseResult.PoolDraining : Slots[offset].IsNone ? LeaseResult.Ok : LeaseResult.AddressInUse,
        };
    }

    /// <summary>Assigns an address <see cref="CheckStatic"/> has passed. Its queue entry, if any, goes stale.</summary>
    internal void AssignStatic(SessionKey session, uint address)
    {
        var offset = address - Base;
        Slots[offset] = session;
        _flags[offset] |= StaticBit;
        Used++;
    }

    internal bool IsStatic(uint address) => (_flags[address - Base] & StaticBit) != 0;

    /// <summary>Frees a leased address and queues it last, unless a stale entry still queues it.</summary>
    internal void Release(uint address)
    {
        var offset = (int)(address - Base);
        Slots[offset] = default;
        Used--;
        ref var flags = ref _flags[offset];
        flags &= unchecked((byte)~StaticBit);
        if ((flags & QueuedBit) == 0)
        {
            flags |= QueuedBit;
            var tail = _head + _queued;
            _queue[tail >= _queue.Length ? tail - _queue.Length : tail] = offset;
            _queued++;
        }
    }

    public override string ToString() => $"{Name} {Range} ({Realm}): {Used} of {Usable} used";

    private static void ThrowTooLarge(PoolDefinition definition)
        => throw new ArgumentException($"pool \"{definition.Name}\" {definition.Range} is larger than a /{MinPrefixLength}", nameof(definition));
}
