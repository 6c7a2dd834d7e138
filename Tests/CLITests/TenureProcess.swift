// Runs the real `tenure` binary (built by `swift test` into <package root>/.build/debug or release) and captures its
// exit code, stdout and stderr; plus a per-test scratch directory.
import Foundation
import Testing
import TestSupport

enum Tenure {
    static let binary = Repository.build + "/tenure"

    static func run(_ arguments: [String], in dir: URL? = nil) throws -> ProcessOutput {
        try Subprocess.run(binary, arguments, in: dir?.path)
    }

    /// The command names `tenure --help` lists under "commands:", in its order.
    static func helpCommands() throws -> [String] {
        try run(["--help"]).lines.drop { $0 != "commands:" }.dropFirst().prefix { $0.hasPrefix("  ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }
}

/// A fresh directory removed when the test is done with it.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
    func bytes(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
    var listing: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}
