// Interns byte strings (user ids, event names) to dense integer ids without creating a String per row.
import CTenureHints

/// Open-addressing hash table from byte strings to dense ids `0..<count`, in first-seen order.
/// Keys live in one contiguous arena, so a million users cost a few tens of MB, not a million Strings.
/// A slot holds the key's id and the high half of its hash, so a probe reads the key's bytes only when the
/// tags agree: with millions of users the table is far larger than the cache, and every extra array read
/// per probe is a cache miss.
struct ByteInterner {
    private(set) var arena: [UInt8] = []
    private(set) var keyStarts: [Int] = [0]     // key i is arena[keyStarts[i]..<keyStarts[i+1]]
    private(set) var hashes: [UInt64] = []       // per id
    private var slots: [UInt64]                  // 0 = empty, else tag << 32 | (id + 1)
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        hashes.reserveCapacity(min(capacity, 1 << 20))
    }

    var count: Int { hashes.count }

    /// FNV-1a over 8-byte words then bytes, finished with a murmur mix: fast and well spread for ids.
    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = p.count
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3
            i += 1
        }
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33
        return h
    }

    /// The id of `key`, adding it when new.
    @inline(__always)
    mutating func intern(_ key: UnsafeRawBufferPointer) -> Int32 { intern(key, hash: ByteInterner.hash(key)) }

    /// `intern(key)` for a key whose `hash` is known (another interner's).
    @inline(__always)
    mutating func intern(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> Int32 {
        let tag = h & 0xffff_ffff_0000_0000
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xffff_ffff_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: entry & 0xffff_ffff) - 1
                if equals(id, key) { return Int32(truncatingIfNeeded: id) }
            }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        precondition(id < Int(UInt32.max) - 1, "more than 4 billion distinct keys")
        slots[slot] = tag | UInt64(id + 1)
        hashes.append(h)
        arena.append(contentsOf: key)
        keyStarts.append(arena.count)
        if hashes.count * 2 > slots.count { grow() }
        return Int32(truncatingIfNeeded: id)
    }

    /// The id here of each of `local`'s keys, in `local`'s id order (adding the new ones in that order): how
    /// a parsed block's keys become global ids. Reuses `local`'s hashes and requests each key's slot a few
    /// keys ahead, so the cache misses of a large table overlap instead of following one another.
    mutating func intern(allOf local: ByteInterner) -> [Int32] {
        let n = local.count
        var ids = [Int32](repeating: 0, count: n)
        let ahead = 8
        local.arena.withUnsafeBytes { a in
            local.keyStarts.withUnsafeBufferPointer { s in
                local.hashes.withUnsafeBufferPointer { h in
                    ids.withUnsafeMutableBufferPointer { out in
                        for i in 0..<n {
                            if i + ahead < n { prefetchSlot(h[i + ahead]) }
                            let key = UnsafeRawBufferPointer(rebasing: a[s[i]..<s[i + 1]])
                            out[i] = intern(key, hash: h[i])
                        }
                    }
                }
            }
        }
        return ids
    }

    @inline(__always)
    private func prefetchSlot(_ h: UInt64) {
        slots.withUnsafeBufferPointer { tenure_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: h) & mask)) }
    }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = keyStarts[id], end = keyStarts[id + 1]
        if end - start != key.count { return false }
        return arena.withUnsafeBytes { a in
            key.count == 0 || memcmpBytes(a.baseAddress! + start, key.baseAddress!, key.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for id in 0..<hashes.count {
            let h = hashes[id]
            var slot = Int(truncatingIfNeeded: h) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = h & 0xffff_ffff_0000_0000 | UInt64(id + 1)
        }
        slots = newSlots
        mask = newMask
    }

    func key(_ id: Int) -> ArraySlice<UInt8> { arena[keyStarts[id]..<keyStarts[id + 1]] }

    func string(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// Forgets every key but keeps the table and the arena's memory, so a table reused per chunk stays warm in
    /// the cache instead of being allocated (and faulted in) again.
    mutating func removeAll() {
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        arena.removeAll(keepingCapacity: true)
        keyStarts.removeAll(keepingCapacity: true); keyStarts.append(0)
        hashes.removeAll(keepingCapacity: true)
    }
}

@inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
