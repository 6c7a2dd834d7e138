// `train --distributed` through the real binary under Open MPI's mpirun, 2 ranks on loopback: the model file
// (trees or logistic regression) is the single-process one (from a shared log split by --partition, and from `tenure shard`'s files through
// {rank}); a rank that cannot read its shard ends the job with exit 2 and leaves no model; without Open MPI
// the flag is a usage error. `make test` installs openmpi-bin (make deps); without mpirun the suite is skipped.
import Foundation
import Testing
import TestSupport

/// mpirun on PATH, if any.
private let mpirun: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    .map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("train --distributed under mpirun", .serialized)
struct DistributedTrainTests {
    static let trainArgs = ["--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--model", "gbdt",
                            "--trees", "8", "--num-leaves", "7"]

    /// `mpirun -np ranks tenure train --distributed …` (oversubscribed: the test machine may have fewer cores;
    /// --allow-run-as-root: CI containers run as root). Killed after five minutes so a hung job fails the test.
    static func distributed(_ ranks: Int, _ args: [String]) throws -> ProcessOutput {
        try Subprocess.run(try #require(mpirun), ["-np", "\(ranks)", "--oversubscribe", "--allow-run-as-root", "--bind-to", "none",
                                                  Tenure.binary, "train", "--distributed"] + args,
                           timeout: 300)
    }

    /// A small generated log (two hundred-odd users per rank) in `scratch`.
    static func log(_ scratch: Scratch) throws -> String {
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "400", "--days", "120", "--seed", "11", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        return events
    }

    /// `tenure shard` of `events` into scratch's shards/ (part-0000-of-2.csv, part-0001-of-2.csv).
    static func shard(_ events: String, _ scratch: Scratch) throws {
        let split = try Tenure.run(["shard", "--events", events, "--shards", "2", "--out", scratch.path("shards") + "/"])
        try #require(split.status == 0, "shard: \(split.stderr)")
    }

    /// The model file's JSON body without its `inputFile` line (the only provenance a shard pattern changes).
    static func bodyWithoutInputFile(_ data: Data?) -> [Substring] {
        let text = String(decoding: data ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().filter { !$0.contains("\"inputFile\"") }
    }

    @Test("2 ranks, each its --partition of a shared log: the single-process model file, byte for byte",
          .enabled(if: mpirun != nil, "mpirun is not installed (make deps installs openmpi-bin)"))
    func partitionsEqualSingleProcess() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let single = try Tenure.run(["train", "--events", events] + Self.trainArgs + ["--out", scratch.path("single.tenure")])
        try #require(single.status == 0, "single: \(single.stderr)")
        let job = try Self.distributed(2, ["--events", events] + Self.trainArgs + ["--out", scratch.path("mpi.tenure")])
        #expect(job.status == 0, "mpirun: \(job.stderr)")
        #expect(job.stderr.contains("rank 0 of 2: reading partition 0/2"), "\(job.stderr)")
        #expect(job.stderr.contains(" per kept tree)") && !job.stderr.contains("ranks sent 0 bytes"), "the job reports its traffic: \(job.stderr)")
        let model = scratch.bytes("mpi.tenure")
        #expect(model != nil && model == scratch.bytes("single.tenure"), "the 2-rank model differs from the single-process one")
        // Only rank 0 prints the summary.
        #expect(job.stdout == single.stdout, "\(job.stdout)")
    }

    @Test("logistic regression on 2 ranks (exact allreduced statistics, losses, gradients, Hessians): the single-process model file, byte for byte",
          .enabled(if: mpirun != nil, "mpirun is not installed (make deps installs openmpi-bin)"))
    func logisticEqualsSingleProcess() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let args = ["--events", events, "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--model", "logistic"]
        let single = try Tenure.run(["train"] + args + ["--out", scratch.path("single.tenure")])
        try #require(single.status == 0, "single: \(single.stderr)")
        let job = try Self.distributed(2, args + ["--out", scratch.path("mpi.tenure")])
        #expect(job.status == 0, "mpirun: \(job.stderr)")
        #expect(job.stderr.contains("(2 ranks)") && !job.stderr.contains("ranks sent 0 bytes"), "\(job.stderr)")
        let model = scratch.bytes("mpi.tenure")
        #expect(model != nil && model == scratch.bytes("single.tenure"), "the 2-rank logistic model differs from the single-process one")
        #expect(job.stdout == single.stdout, "\(job.stdout)")
    }

    @Test("2 ranks, each its shard through {rank}: the single-process model (apart from the recorded input name)",
          .enabled(if: mpirun != nil, "mpirun is not installed (make deps installs openmpi-bin)"))
    func shardsEqualSingleProcess() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        try Self.shard(events, scratch)
        let single = try Tenure.run(["train", "--events", events] + Self.trainArgs + ["--out", scratch.path("single.tenure")])
        try #require(single.status == 0, "single: \(single.stderr)")
        let job = try Self.distributed(2, ["--events", scratch.path("shards/part-{rank}-of-2.csv")] + Self.trainArgs
                                          + ["--out", scratch.path("mpi.tenure")])
        #expect(job.status == 0, "mpirun: \(job.stderr)")
        let body = Self.bodyWithoutInputFile(scratch.bytes("mpi.tenure"))
        #expect(body.count > 100 && body == Self.bodyWithoutInputFile(scratch.bytes("single.tenure")),
                "the model from shards differs from the single-process one")
        #expect(String(decoding: scratch.bytes("mpi.tenure") ?? Data(), as: UTF8.self).contains("\"inputFile\" : \"part-{rank}-of-2.csv\""))
    }

    @Test("rank 1's shard is missing: exit 2, the error names rank 1 and the file, no model file",
          .enabled(if: mpirun != nil, "mpirun is not installed (make deps installs openmpi-bin)"))
    func missingShard() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        try Self.shard(events, scratch)
        try FileManager.default.removeItem(atPath: scratch.path("shards/part-0001-of-2.csv"))
        let job = try Self.distributed(2, ["--events", scratch.path("shards/part-{rank}-of-2.csv")] + Self.trainArgs
                                          + ["--out", scratch.path("mpi.tenure")])
        #expect(job.status == 2, "\(job.stderr)")
        #expect(job.stderr.contains("tenure: error: rank 1: ") && job.stderr.contains("part-0001-of-2.csv"), "\(job.stderr)")
        #expect(!scratch.exists("mpi.tenure"))
        #expect(scratch.listing == ["events.csv", "shards"], "nothing else written: \(scratch.listing)")
    }

    @Test("without Open MPI (TENURE_MPI_LIBRARY names no library): exit 64 saying what to install, no model file")
    func withoutOpenMPI() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let run = try Subprocess.run(Tenure.binary, ["train", "--distributed", "--events", events] + Self.trainArgs
                                                    + ["--out", scratch.path("mpi.tenure")],
                                     environment: ["TENURE_MPI_LIBRARY": scratch.path("no-libmpi.so")])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("openmpi-bin") && run.stderr.contains("no-libmpi.so"), "\(run.stderr)")
        #expect(!scratch.exists("mpi.tenure"))
    }
}
