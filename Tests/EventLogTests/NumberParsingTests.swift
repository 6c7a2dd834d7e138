// The byte parser's decimal numbers against strtod, bit for bit: the Clinger fast path, the 128-bit quotient
// for mantissas of 2^53 and more (what shortest round-trip printing writes, 17 digits), and the strtod fallback.
import Foundation
import Testing
import TestSupport
@testable import EventLog

@Suite("Decimal numbers parse as strtod parses them")
struct NumberParsingTests {
    static func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    static func parsed(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { ByteParsing.double(UnsafeRawBufferPointer($0)) }
    }

    /// Halfway cases and neighbours of 2^53, the largest 19-digit mantissas, and printed doubles.
    @Test func hardCases() {
        var cases = ["9007199254740993", "9007199254740995", "9007199254740992.5", "18014398509481985",
                     "9999999999999999999", "0.9999999999999999999", "1.0000000000000002220446049250313",
                     "0.021574074074074075", "1.4562473758448367", "-30.624108796296298", "0.30000000000000004",
                     "123456789012345678.9", "4.9406564584124654", "2.2250738585072014", "1.7976931348623157"]
        for v in [0.1, 1.0 / 3, 2.0 / 3, Double.pi, exp(1), 1e-3 / 7, 12345.678901234567] { cases.append("\(v)") }
        for text in cases {
            #expect(Self.parsed(text)?.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
        }
    }

    /// Random mantissas of 16 to 19 digits with the decimal point anywhere, some with leading zeros.
    @Test func randomLongMantissas() {
        var g = SplitMix64(seed: 2026)
        for _ in 0..<50_000 {
            let digits = 16 + Int(g.next() % 4)
            var text = ""
            for k in 0..<digits { text.append(Character(UnicodeScalar(UInt8(48 + (k == 0 && g.next() % 4 != 0 ? 1 + g.next() % 9 : g.next() % 10))))) }
            let point = Int(g.next() % UInt64(digits + 1))
            if point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if g.next() % 2 == 0 { text = "-" + text }
            #expect(Self.parsed(text)?.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
        }
    }
}
