// Interns byte strings (user ids, event names) to dense integer ids without creating a String per row.

/// Open-addressing hash table from byte strings to dense ids `0..<count`, in first-seen order.
/// Keys live in one contiguous arena, so a million users cost a few tens of MB, not a million Strings.
struct ByteInterner {
    private(set) var arena: [UInt8] = []
    private(set) var keyStarts: [Int] = [0]     // key i is arena[keyStarts[i]..<keyStarts[i+1]]
    private var hashes: [UInt64] = []            // per id
    private var slots: [Int32]                   // -1 = empty, else id
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
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
    mutating func intern(_ key: UnsafeRawBufferPointer) -> Int32 {
        let h = ByteInterner.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), key) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        slots[slot] = id
        hashes.append(h)
        arena.append(contentsOf: key)
        keyStarts.append(arena.count)
        if hashes.count * 2 > slots.count { grow() }
        return id
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
        var newSlots = [Int32](repeating: -1, count: size)
        let newMask = size - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & newMask
            while newSlots[slot] >= 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = Int32(id)
        }
        slots = newSlots
        mask = newMask
    }

    func key(_ id: Int) -> ArraySlice<UInt8> { arena[keyStarts[id]..<keyStarts[id + 1]] }

    func string(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }
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
