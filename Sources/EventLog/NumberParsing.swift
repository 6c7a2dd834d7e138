// Byte-level number parsing and UTF-8 validation for the hot read path.
import Foundation

/// 10^0 … 10^22, every one exact in a Double. A literal, so the table is static data (a computed global is
/// initialised lazily, and its once-check ran on every parsed number).
private let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
                                          1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
/// 10^0 … 10^19 as integers (10^19 < 2^64).
private let integerPowersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
                                            1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000,
                                            10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
                                            10_000_000_000_000_000, 100_000_000_000_000_000,
                                            1_000_000_000_000_000_000, 10_000_000_000_000_000_000]

/// Parses a decimal number (`-12.5`, `3`, `1e3`); nil for anything else, including `nan`, `inf` and hex.
/// Fast path (Clinger): a mantissa under 2^53 and at most 22 fraction digits divides exactly-rounded.
@inline(__always)
func parseDouble(_ p: UnsafeRawBufferPointer) -> Double? {
    let n = p.count
    guard n > 0 else { return nil }
    var i = 0
    var negative = false
    if p[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0, fractionDigits = 0
    var sawDot = false
    while i < n {
        let c = p[i]
        if c >= 48 && c <= 57 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(c - 48) } else { return slowParseDouble(p) }
            digits += 1
            if sawDot { fractionDigits += 1 }
        } else if c == UInt8(ascii: ".") && !sawDot {
            sawDot = true
        } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            return digits > 0 ? slowParseDouble(p) : nil
        } else {
            return nil
        }
        i += 1
    }
    guard digits > 0 else { return nil }
    if mantissa < (1 << 53) && fractionDigits <= 22 {
        let v = Double(mantissa) / exactPowersOfTen[fractionDigits]
        return negative ? -v : v
    }
    if fractionDigits <= 19 {
        let v = correctlyRoundedQuotient(mantissa, integerPowersOfTen[fractionDigits])
        return negative ? -v : v
    }
    return slowParseDouble(p)
}

/// w / d rounded to the nearest Double (ties to even), for w ≥ 1 and d < 2^64 (a power of ten): the quotient
/// of w·2^s by d in 128-bit integers carries 54–56 significant bits, whose low bits and the remainder decide
/// the rounding. The 17-digit numbers a shortest round-trip printer writes (w ≥ 2^53) land here instead of in
/// strtod's big-number path. Exact, so the same Double strtod returns.
@inline(__always)
func correctlyRoundedQuotient(_ w: UInt64, _ d: UInt64) -> Double {
    let wBits = 64 - w.leadingZeroBitCount, dBits = 64 - d.leadingZeroBitCount
    let s = max(0, 55 + dBits - wBits)   // w·2^s has 55 + dBits bits: at most 119, inside 128
    let (q, r) = (UInt128(w) << s).quotientAndRemainder(dividingBy: UInt128(d))
    let qBits = 128 - q.leadingZeroBitCount   // 54…56
    var extra = qBits - 53
    var significand = UInt64(truncatingIfNeeded: q >> extra)
    let rest = q & ((UInt128(1) << extra) - 1), half = UInt128(1) << (extra - 1)
    if rest > half || (rest == half && (r != 0 || significand & 1 == 1)) {
        significand += 1
        if significand == 1 << 53 { significand >>= 1; extra += 1 }
    }
    return Double(sign: .plus, exponent: extra - s, significand: Double(significand))
}

/// strtod on a NUL-terminated copy, accepting only plain decimal syntax.
private func slowParseDouble(_ p: UnsafeRawBufferPointer) -> Double? {
    for c in p {
        switch c {
        case 48...57, UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
        default: return nil
        }
    }
    // A stack copy (no heap allocation per cell: feature matrices send every 17-digit number here).
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: p.count + 1) { b -> Double? in
        for k in 0..<p.count { b[k] = CChar(bitPattern: p[k]) }
        b[p.count] = 0
        var end: UnsafeMutablePointer<CChar>?
        let v = strtod(b.baseAddress!, &end)
        guard let e = end, e - b.baseAddress! == p.count, v.isFinite else { return nil }
        return v
    }
}

/// Strict UTF-8 validation (rejects overlongs, surrogates and code points past U+10FFFF).
func isValidUTF8(_ p: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = p.count
    while i < n {
        let c = p[i]
        if c < 0x80 { i += 1; continue }
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return false
        }
        guard i + need < n else { return false }
        let first = p[i + 1]
        guard first >= lo && first <= hi else { return false }
        var k = 2
        while k <= need {
            let b = p[i + k]
            guard b >= 0x80 && b <= 0xBF else { return false }
            k += 1
        }
        i += need + 1
    }
    return true
}

/// Public entry to the byte-level number parser, for other readers (feature matrices).
public enum ByteParsing {
    @inline(__always)
    public static func double(_ p: UnsafeRawBufferPointer) -> Double? { parseDouble(p) }
}
