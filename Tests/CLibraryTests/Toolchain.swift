// Where the built artefacts live (<package root>/.build/debug, built by `swift test` like CLITests' binary),
// a subprocess runner, and gcc builds of the C programs against include/tenure.h and libtenurec.so.
import Foundation
import Testing
import TestSupport

enum Paths {
    static let root = Repository.root
    static let build = Repository.build
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

/// Runs a program to completion (see `Subprocess.run`).
func run(_ executable: String, _ arguments: [String], in dir: String? = nil, environment: [String: String]? = nil) throws -> ProcessOutput {
    try Subprocess.run(executable, arguments, in: dir, environment: environment)
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
