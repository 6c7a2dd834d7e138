// SHA-256 against published vectors (FIPS 180-4 examples) and against `sha256sum` for padding edges and a
// 10,000-byte message; streaming in odd-sized pieces must give the one-shot digest.
import Testing
import TenureCore

@Suite("SHA-256 known vectors")
struct SHA256Tests {
    @Test("FIPS 180-4 examples: empty, abc, the 448-bit and 896-bit messages")
    func nistVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(SHA256.hex(Array(m896.utf8)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    /// Lengths around the 56- and 64-byte padding boundaries (one vs two final blocks), from `sha256sum`.
    @Test("padding boundaries: n × 'a' for n = 55, 56, 63, 64, 65, 119", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
    ])
    func paddingBoundaries(length: Int, expected: String) {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: length)) == expected)
    }

    /// byte i = (31·i + 7) mod 256, i < 10,000; digest from `sha256sum` on the same bytes.
    static let tenThousand: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    @Test("10,000 bytes match sha256sum")
    func tenThousandBytes() {
        #expect(SHA256.hex(Self.tenThousand) == "470b2cd71bff57ce8be0be3fc23df273052c4bb10a1235fddb8f158d6f928546")
    }

    @Test("streaming in uneven pieces equals one shot")
    func streaming() {
        for piece in [1, 3, 63, 64, 65, 1000] {
            var s = SHA256()
            var at = 0
            while at < Self.tenThousand.count {
                let end = min(at + piece, Self.tenThousand.count)
                s.update(Self.tenThousand[at..<end])
                at = end
            }
            let hex = s.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(hex == "470b2cd71bff57ce8be0be3fc23df273052c4bb10a1235fddb8f158d6f928546", "piece size \(piece)")
        }
    }

    @Test("one million 'a' (FIPS 180-4 long message)")
    func millionA() {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
