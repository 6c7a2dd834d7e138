// MPICollective: `Collective` over Open MPI (CTenureMPI loads libmpi.so.40 at run time). One per process,
// started once (MPI_Init) and finished once (MPI_Finalize); the trainers call it from one thread only.
import CTenureMPI
import Foundation
import TenureCore

/// Why an MPI job could not start.
public struct MPIUnavailable: CategorizedError, CustomStringConvertible {
    public let reason: String
    public var category: ErrorCategory { .usage }
    public var description: String {
        "--distributed needs Open MPI 4 (libmpi.so.40: `apt-get install openmpi-bin`, or `make deps`) and a launch by mpirun: \(reason)"
    }
}

/// The ranks of the job `mpirun` started (MPI_COMM_WORLD).
public final class MPICollective: Collective, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    public private(set) var bytesSent = 0

    /// The environment variable naming another MPI library than libmpi.so.40 (a path or a soname).
    public static let libraryVariable = "TENURE_MPI_LIBRARY"

    /// Loads libmpi and joins the job. Run without mpirun, Open MPI starts a job of one rank (a "singleton").
    public init() throws {
        var error = [CChar](repeating: 0, count: 512)
        let library = ProcessInfo.processInfo.environment[Self.libraryVariable]
        guard tenure_mpi_load(library, &error, error.count) == 0 else {
            throw MPIUnavailable(reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var rank: Int32 = 0, size: Int32 = 0
        guard tenure_mpi_init(&rank, &size) == 0 else { throw MPIUnavailable(reason: "MPI_Init failed") }
        self.rank = Int(rank); self.size = Int(size)
    }

    /// MPI_Finalize; every rank calls it once, after the last collective.
    public func finish() { _ = tenure_mpi_finalize() }

    public func sum(_ values: inout [Int64]) {
        var at = 0
        while at < values.count {  // MPI counts are 32-bit
            let n = min(values.count - at, 1 << 28)
            let rc = values.withUnsafeMutableBufferPointer { tenure_mpi_sum_int64($0.baseAddress! + at, Int32(n)) }
            check(rc, "MPI_Allreduce")
            bytesSent += n * 8
            at += n
        }
    }

    public func maximum(_ values: inout [Double]) {
        guard !values.isEmpty else { return }
        precondition(values.count < 1 << 28)
        check(values.withUnsafeMutableBufferPointer { tenure_mpi_max_double($0.baseAddress!, Int32($0.count)) }, "MPI_Allreduce")
        bytesSent += values.count * 8
    }

    public func allGather(_ bytes: [UInt8]) -> [[UInt8]] {
        exchange(bytes, toRootOnly: false) { tenure_mpi_allgatherv_bytes($0, $1, $2, $3, $4) }
    }

    public func gather(_ bytes: [UInt8]) -> [[UInt8]]? {
        let parts = exchange(bytes, toRootOnly: true) { tenure_mpi_gatherv_bytes($0, $1, $2, $3, $4) }
        return rank == 0 ? parts : nil
    }

    /// Gathers every rank's bytes with `call` (MPI_Allgatherv or MPI_Gatherv to rank 0) in rounds of at most
    /// 64 MiB per rank, which keep every count and offset inside MPI's 32-bit ints.
    private func exchange(_ bytes: [UInt8], toRootOnly: Bool,
                          _ call: (UnsafeRawPointer?, Int32, UnsafeMutableRawPointer?, UnsafePointer<Int32>, UnsafePointer<Int32>) -> Int32)
        -> [[UInt8]] {
        let round = 64 << 20
        var lengths = [Int64](repeating: 0, count: size)
        check(tenure_mpi_allgather_int64(Int64(bytes.count), &lengths), "MPI_Allgather")
        let receives = !toRootOnly || rank == 0
        var parts = lengths.map { [UInt8](repeating: 0, count: receives ? Int($0) : 0) }
        var sent = [Int](repeating: 0, count: size)
        while zip(sent, lengths).contains(where: { $0 < Int($1) }) {
            let counts = (0..<size).map { Int32(min(round, Int(lengths[$0]) - sent[$0])) }
            var offsets = [Int32](repeating: 0, count: size)
            for r in 1..<max(size, 1) { offsets[r] = offsets[r - 1] + counts[r - 1] }
            var out = [UInt8](repeating: 0, count: receives ? Int(counts.reduce(0, +)) : 0)
            let mine = Int(counts[rank])
            let rc = bytes.withUnsafeBytes { b in
                out.withUnsafeMutableBytes { o in call(b.baseAddress.map { $0 + sent[rank] }, Int32(mine), o.baseAddress, counts, offsets) }
            }
            check(rc, toRootOnly ? "MPI_Gatherv" : "MPI_Allgatherv")
            bytesSent += mine
            for r in 0..<size where counts[r] > 0 {
                if receives {
                    parts[r].withUnsafeMutableBufferPointer { p in
                        out.withUnsafeBufferPointer { o in
                            (p.baseAddress! + sent[r]).update(from: o.baseAddress! + Int(offsets[r]), count: Int(counts[r]))
                        }
                    }
                }
                sent[r] += Int(counts[r])
            }
        }
        return parts
    }

    public func abort(code: Int32) -> Never {
        tenure_mpi_abort(code)
        fatalError("MPI_Abort returned")
    }

    /// Open MPI's default error handler ends the job on a failed call, so a returned error is unexpected.
    private func check(_ rc: Int32, _ call: String) {
        if rc != 0 {
            print("tenure: rank \(rank): error: \(call) failed with MPI error \(rc)")
            abort(code: 1)
        }
    }
}
