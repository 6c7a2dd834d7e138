// Escaping and number formatting for the report's HTML and SVG text.
import Foundation

enum HTMLText {
    /// Escapes the five characters that are special in HTML text and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with 2 decimals (enough at any laptop width, and keeps the file small).
    static func coord(_ v: Double) -> String { String(format: "%.2f", v) }

    static func fixed(_ v: Double?, _ digits: Int) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "n/a" }
    static func percent(_ v: Double?, _ digits: Int = 1) -> String { v.map { String(format: "%.\(digits)f%%", 100 * $0) } ?? "n/a" }
}
