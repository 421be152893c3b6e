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
/// <see cref="SessionKey"/> (4 bytes, <c>default</c> = free), a flag byte, and two 4-byte links of
/// a doubly linked free list: 13 bytes per address, allocated once. Free addresses wait in FIFO
/// order: allocation takes the head, release appends at the tail, a static lease unlinks its address
/// from the middle, all O(1). So a released address is handed out again only after every address
/// that was free when it was released.</para>
/// </remarks>
public sealed partial class AddressPool
{
    /// <summary>The largest pool is a /12 (1,048,576 addresses, about 13 MiB of tables).</summary>
    public const int MinPrefixLength = 12;

    // Flag byte: the low two bits say why an address is never handed out; one state bit.
    internal const byte Open = 0, Boundary = 1, Server = 2, Excluded = 3, ReasonMask = 0x03;
    private const byte StaticBit = 0x40;
    private const int None = -1;

    internal readonly uint Base;
    internal readonly uint Length;
    internal readonly SessionKey[] Slots;
    private readonly byte[] _flags;
    private readonly int[] _next;
    private readonly int[] _prev;
    private int _head = None;
    private int _tail = None;

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
        _next = new int[Length];
        _prev = new int[Length];
        for (var offset = 0; offset < _flags.Length; offset++)
        {
            if (_flags[offset] == Open)
            {
                Append(offset);
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

    /// <summary>Draining and removed from the table as soon as its last lease is released.</summary>
    public bool RemoveWhenEmpty { get; internal set; }

    public bool Contains(uint address) => address - Base < Length;

    /// <summary>Takes the free address released longest ago (or never leased).</summary>
    internal bool TryAllocate(SessionKey session, out uint address)
    {
        var offset = _head;
        if (offset == None)
        {
            address = 0;
            return false;
        }
        Unlink(offset);
        Slots[offset] = session;
        Used++;
        address = Base + (uint)offset;
        return true;
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

    /// <summary>Assigns an address <see cref="CheckStatic"/> has passed, taking it out of the free list.</summary>
    internal void AssignStatic(SessionKey session, uint address)
    {
        var offset = (int)(address - Base);
        Unlink(offset);
        Slots[offset] = session;
        _flags[offset] |= StaticBit;
        Used++;
    }

    internal bool IsStatic(uint address) => (_flags[address - Base] & StaticBit) != 0;

    /// <summary>Takes over a lease from the pool this one replaces at reload (same address, same kind).</summary>
    internal void Adopt(SessionKey session, uint address, bool isStatic)
    {
        AssignStatic(session, address);
        if (!isStatic)
        {
            _flags[address - Base] &= unchecked((byte)~StaticBit);
        }
    }

    /// <summary>Frees a leased address: it goes to the end of the free list.</summary>
    internal void Release(uint address)
    {
        var offset = (int)(address - Base);
        Slots[offset] = default;
        _flags[offset] &= unchecked((byte)~StaticBit);
        Used--;
        Append(offset);
    }

    private void Append(int offset)
    {
        _next[offset] = None;
        _prev[offset] = _tail;
        if (_tail == None)
        {
            _head = offset;
        }
        else
        {
            _next[_tail] = offset;
        }
        _tail = offset;
    }

    private void Unlink(int offset)
    {
        var prev = _prev[offset];
        var next = _next[offset];
        if (prev == None)
        {
            _head = next;
        }
        else
        {
            _next[prev] = next;
        }
        if (next == None)
        {
            _tail = prev;
        }
        else
        {
            _prev[next] = prev;
        }
    }

    public override string ToString() => $"{Name} {Range} ({Realm}): {Used} of {Usable} used";

    private static void ThrowTooLarge(PoolDefinition definition)
        => throw new ArgumentException($"pool \"{definition.Name}\" {definition.Range} is larger than a /{MinPrefixLength}", nameof(definition));
}
