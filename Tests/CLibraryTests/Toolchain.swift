// Where the built artefacts live (<package root>/.build/debug, built by `swift test` like CLITests' binary),
// a subprocess runner, and gcc builds of the C programs against include/tenure.h and libtenurec.so.
import Foundation
import Testing

struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [Substring] { stdout.split(separator: "\n") }
}

enum Paths {
    /// <root>/Tests/CLibraryTests/Toolchain.swift → <root>
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let build = root.appendingPathComponent(".build/debug").path
    static let library = build + "/libtenurec.so"
    static let tenure = build + "/tenure"
    static let serviceExample = build + "/ScoringServiceExample"
    static func repo(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// One scratch directory per test process, for compiled programs and shared fixtures.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-clib-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
}

/// Runs a program to completion; output goes through files so a chatty child never blocks on a full pipe.
func run(_ executable: String, _ arguments: [String], in dir: String? = nil, environment: [String: String]? = nil) throws -> Output {
    try #require(FileManager.default.isExecutableFile(atPath: executable), "no program at \(executable); run swift build")
    let tag = UUID().uuidString
    let outURL = Paths.scratch.appendingPathComponent("\(tag).out"), errURL = Paths.scratch.appendingPathComponent("\(tag).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let dir { process.currentDirectoryURL = URL(fileURLWithPath: dir) }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close(); try err.close()
    return Output(status: process.terminationStatus,
                  stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                  stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// A fixture that could not be made (the message says which and why).
struct SetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum CProgram {
    /// Compiles `source` (relative to the root) with gcc, warnings as errors, against include/tenure.h and
    /// the debug libtenurec.so (rpath set, so the program finds it without LD_LIBRARY_PATH). Returns the binary.
    static func compile(_ source: String, name: String) throws -> String {
        guard FileManager.default.fileExists(atPath: Paths.library) else { throw SetupError("no \(Paths.library); run swift build") }
        let binary = Paths.scratch.appendingPathComponent(name).path
        let r = try run("/usr/bin/gcc", ["-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-I", Paths.repo("include"),
                                         Paths.repo(source), "-L", Paths.build, "-ltenurec", "-Wl,-rpath,\(Paths.build)",
                                         "-lpthread", "-o", binary])
        guard r.status == 0 else { throw SetupError("gcc \(source): \(r.stderr)") }
        return binary
    }

    // Compiled once per test process (static initialisation is thread-safe), shared by the suites.
    static let scoreCSV = Result { try compile("examples/c/score_csv.c", name: "score_csv") }
    static let abiCheck = Result { try compile("Tests/CLibraryTests/c/abi_check.c", name: "abi_check") }
}
