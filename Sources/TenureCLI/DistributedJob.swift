// `train --distributed`: the MPI job's life on one rank — start, phases whose failures every rank agrees on,
// and the abort of the job when a rank fails where the others cannot wait for it.
import TenureMPI
import Foundation
import TenureCore

/// A rank of the job failed (every rank throws this, so every rank exits with the failing rank's code;
/// only rank 0 prints it).
struct RankFailure: CategorizedError, CustomStringConvertible {
    let rank: Int
    let message: String
    let category: ErrorCategory
    var description: String { "rank \(rank): \(message)" }
}

enum DistributedJob {
    /// The option that makes `train` one rank of an MPI job.
    static let option = Option.flag("distributed", "train data-parallel as one rank of an MPI job (`mpirun -np N tenure train --distributed …`): rank r reads --partition r/N of --events, or its shard when --events holds {rank} (shard r of `tenure shard`, numbered as it names them); rank 0 writes --out")

    /// What `{rank}` in --events becomes: the rank as `tenure shard` numbers its files (at least 4 digits).
    static let rankPlaceholder = "{rank}"
    static func shardPath(_ pattern: String, rank: Int, size: Int) -> String {
        let width = max(4, String(max(size - 1, 0)).count)
        let digits = String(rank)
        return pattern.replacingOccurrences(of: rankPlaceholder, with: String(repeating: "0", count: max(0, width - digits.count)) + digits)
    }

    /// Joins the job (MPI_Init); ranks other than 0 go quiet.
    static func start() throws -> MPICollective {
        let mpi = try MPICollective()
        Console.silent = mpi.rank != 0
        return mpi
    }

    /// Runs `body` on every rank, then every rank learns whether any failed: if one did, every rank finishes
    /// MPI and throws the lowest failing rank's error (rank 0 prints it, naming the rank).
    static func agreed<T>(_ mpi: MPICollective, _ body: () throws -> T) throws -> T {
        var result: T? = nil
        var failure: [UInt8] = []
        do { result = try body() } catch {
            failure = Array("\(ExitCode(ErrorCategory.of(error)).rawValue)\u{1}\(error)".utf8)
        }
        let all = mpi.allGather(failure)
        if let r = all.firstIndex(where: { !$0.isEmpty }) {
            let text = String(decoding: all[r], as: UTF8.self)
            let parts = text.split(separator: "\u{1}", maxSplits: 1, omittingEmptySubsequences: false)
            let category: ErrorCategory = switch ExitCode(rawValue: Int32(parts[0]) ?? 1) ?? .failure {
            case .usage: .usage
            case .badData: .badInput
            case .ok, .failure: .internalFailure
            }
            mpi.finish()
            throw RankFailure(rank: r, message: parts.count > 1 ? String(parts[1]) : text, category: category)
        }
        return result!
    }

    /// Runs `body`, a phase where the ranks wait for each other inside collectives: a rank that fails there
    /// says so itself and aborts the whole job with its exit code (mpirun then ends every rank).
    static func orAbort<T>(_ mpi: MPICollective, _ body: () throws -> T) -> T {
        do { return try body() } catch {
            Console.rankNote("tenure: error: rank \(mpi.rank): \(error)")
            mpi.abort(code: ExitCode(ErrorCategory.of(error)).rawValue)
        }
    }
}
