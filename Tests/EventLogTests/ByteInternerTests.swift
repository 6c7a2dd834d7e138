// The interner behind user and event ids: dense ids in first-seen order, the same id for the same bytes, and
// a block's keys folded into the global interner (`intern(allOf:)`, the reader's merge) exactly as one by one.
import Testing
@testable import EventLog

@Suite("Byte interner")
struct ByteInternerTests {
    static func key(_ i: Int) -> [UInt8] {
        // Lengths 1…23, so the word loop and the byte tail of the hash and the compare are both exercised.
        let text = String(repeating: "x", count: i % 17) + "u\(i)"
        return Array(text.utf8)
    }

    @Test("ids are dense, in first-seen order, and stable across the table's growth")
    func denseAndStable() {
        var interner = ByteInterner(capacity: 4)
        let n = 50_000
        for i in 0..<n { #expect(Self.key(i).withUnsafeBytes { interner.intern($0) } == Int32(i)) }
        #expect(interner.count == n)
        for i in stride(from: n - 1, through: 0, by: -7) {
            #expect(Self.key(i).withUnsafeBytes { interner.intern($0) } == Int32(i))
            #expect(Array(interner.key(i)) == Self.key(i))
        }
        #expect(interner.count == n)
    }

    @Test("folding a block's interner gives each key the id interning it alone would")
    func foldAgreesWithOneByOne() {
        var global = ByteInterner(capacity: 64), reference = ByteInterner(capacity: 64)
        var rng = CompactStoreTests.Stream(state: 99)
        for _ in 0..<20 {
            var block = ByteInterner()
            var keys: [[UInt8]] = []
            for _ in 0..<3_000 {
                let k = Self.key(rng.next(40_000))
                let before = block.count
                _ = k.withUnsafeBytes { block.intern($0) }
                if block.count > before { keys.append(k) }
            }
            let folded = global.intern(allOf: block)
            let oneByOne = keys.map { k in k.withUnsafeBytes { reference.intern($0) } }
            #expect(folded == oneByOne)
            #expect(global.count == reference.count)
        }
        for id in 0..<global.count { #expect(global.key(id) == reference.key(id)) }
    }
}
