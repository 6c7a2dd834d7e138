// What several test targets need alike: a seeded random source, where the repository and its shipped data
// are, and a subprocess runner. A plain library target (no test framework), depended on by test targets only.
import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator, so every run draws the same data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) from the top 53 bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal via Box–Muller.
    public mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// The checkout the tests run from, found from this file's path.
public enum Repository {
    /// <root>/Tests/TestSupport/TestSupport.swift → <root>
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Where `swift test` put the binaries and libraries of the configuration being tested (debug or release):
    /// the directory of the running test bundle, which SwiftPM builds beside `tenure` and `libtenurec.so`.
    public static let build: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let dir = URL(fileURLWithPath: exe).deletingLastPathComponent().path
        return FileManager.default.fileExists(atPath: dir + "/tenure") ? dir : path(".build/debug")
    }()

    /// `datasets/cdnow/CDNOW_master.txt` under the root, else under a `shared` directory beside it or beside
    /// its parent (git worktrees); nil when absent, so the suites that need it are skipped, not failed.
    public static let cdnowLog: String? = {
        let candidates = ["datasets/cdnow/CDNOW_master.txt", "../shared/datasets/cdnow/CDNOW_master.txt",
                          "../../shared/datasets/cdnow/CDNOW_master.txt"]
        return candidates.map { root.appendingPathComponent($0).standardizedFileURL.path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }()
}

/// A finished child process.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var lines: [Substring] { stdout.split(separator: "\n") }
    public var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

public struct SubprocessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum Subprocess {
    /// Runs `executable` to completion. Output goes through temporary files, so a chatty child never blocks on
    /// a full pipe; standard input is empty. `environment` entries are added to (or replace) this process's.
    /// With a `timeout` (seconds), a child still running then is killed and the call throws.
    public static func run(_ executable: String, _ arguments: [String], in dir: String? = nil,
                           environment: [String: String]? = nil, timeout: Double? = nil) throws -> ProcessOutput {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SubprocessError("no program at \(executable); run swift build")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let dir { process.currentDirectoryURL = URL(fileURLWithPath: dir) }
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if let timeout, finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? out.close(); try? err.close()
            throw SubprocessError("\(executable) \(arguments.joined(separator: " ")) still running after \(timeout) s; killed")
        }
        process.waitUntilExit()
        try out.close(); try err.close()
        return ProcessOutput(status: process.terminationStatus,
                             stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
