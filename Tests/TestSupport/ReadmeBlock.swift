// A block of README.md rendered from a declaration in the code (a parameter table, an output schema), between
// two marker comments. Tests compare it with the rendering; `TENURE_UPDATE_README=1` rewrites it in place.
import Foundation

public enum ReadmeBlock {
    public enum Outcome: Equatable { case matches, rewritten, differs(found: String) }

    /// The README's text between `open` and `close`, compared with `expected` (rewritten when
    /// TENURE_UPDATE_README is set). Throws when a marker is missing.
    public static func check(open: String, close: String, expected: String) throws -> Outcome {
        let path = Repository.path("README.md")
        var readme = try String(contentsOfFile: path, encoding: .utf8)
        guard let start = readme.range(of: open) else { throw SubprocessError("README.md has no \(open)") }
        guard let end = readme.range(of: close, range: start.upperBound..<readme.endIndex) else {
            throw SubprocessError("README.md has no \(close) after \(open)")
        }
        let found = String(readme[start.upperBound..<end.lowerBound])
        guard found != expected else { return .matches }
        guard ProcessInfo.processInfo.environment["TENURE_UPDATE_README"] != nil else { return .differs(found: found) }
        readme.replaceSubrange(start.upperBound..<end.lowerBound, with: expected)
        try readme.write(toFile: path, atomically: true, encoding: .utf8)
        return .rewritten
    }

    /// `check` of a table between `<!-- table: NAME (rendered from the code's declaration; …) -->` markers.
    public static func checkTable(_ name: String, expected: String) throws -> Outcome {
        try check(open: "<!-- table: \(name) (rendered from the code's declaration; a test compares them) -->\n",
                  close: "\n<!-- end table: \(name) -->", expected: expected)
    }
}

extension ReadmeBlock {
    /// The README table `name` (between `<!-- table: NAME (rendered from the code's declaration; a test compares
    /// them) -->` and `<!-- end table: NAME -->`) against `expected`: nil when it matches (or was rewritten),
    /// else the message telling how to regenerate it with the test `filter`.
    public static func differingTable(_ name: String, expected: String, filter: String) throws -> String? {
        let outcome = try check(open: "<!-- table: \(name) (rendered from the code's declaration; a test compares them) -->\n",
                                close: "\n<!-- end table: \(name) -->", expected: expected)
        guard case .differs = outcome else { return nil }
        return "README.md's \(name) table differs from the code's declaration; run TENURE_UPDATE_README=1 swift test --filter \(filter)"
    }
}
