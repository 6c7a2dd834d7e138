// `train --features` and `predict --features` from a Parquet matrix through the real binary (fixtures in
// Tests/ParquetTests/Fixtures/matrix, written by make_matrix_fixtures.py from the CSV `tenure features` wrote):
// the same model file and predictions as from the CSV twin, whatever wrote the Parquet and however; broken files
// exit 2 naming the file (and the row, for a bad cell), with nothing written.
import Foundation
import Testing
import TestSupport

@Suite("Parquet feature matrices")
struct ParquetMatrixTests {
    static let fixtures = Repository.path("Tests/ParquetTests/Fixtures/matrix")
    static let csv = fixtures + "/matrix.csv"
    static let variants = ["matrix.parquet", "matrix-zstd-v2-plain.parquet", "matrix-text.parquet",
                           "matrix-timestamp-cutoff.parquet", "matrix-duckdb.parquet"]

    /// `source` copied to `dir/matrix`: the model records the input's file name, so both twins get the same one
    /// (and the Parquet one is recognised by its magic bytes, not its name).
    static func place(_ source: String, in scratch: Scratch, dir: String) throws -> String {
        let d = scratch.path(dir)
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: d + "/matrix")
        return d + "/matrix"
    }

    static func train(_ matrix: String, _ out: String, model: String) throws -> ProcessOutput {
        try Tenure.run(["train", "--features", matrix, "--model", model, "--min-class-rows", "10", "--out", out]
                       + (model == "gbdt" ? ["--trees", "15", "--min-data-in-leaf", "5"] : []))
    }

    @Test("train --features from each Parquet twin writes the CSV's model file byte for byte", arguments: variants)
    func sameModel(name: String) throws {
        let scratch = try Scratch()
        let csv = try Self.place(Self.csv, in: scratch, dir: "csv"), parquet = try Self.place(Self.fixtures + "/" + name, in: scratch, dir: "pq")
        for model in ["gbdt", "logistic"] {
            let a = try Self.train(csv, scratch.path("csv-\(model).tenure"), model: model)
            try #require(a.status == 0, "\(a.stderr)")
            let b = try Self.train(parquet, scratch.path("pq-\(model).tenure"), model: model)
            try #require(b.status == 0, "\(name): \(b.stderr)")
            #expect(scratch.bytes("pq-\(model).tenure") == scratch.bytes("csv-\(model).tenure"), "\(name) \(model): model differs from the CSV's")
            #expect(b.stderr.contains("177 rows × 73 features"), "\(b.stderr)")
        }
    }

    @Test("predict --features from each Parquet twin writes the CSV's predictions and reasons byte for byte", arguments: variants)
    func samePredictions(name: String) throws {
        let scratch = try Scratch()
        let t = try Self.train(Self.csv, scratch.path("m.tenure"), model: "gbdt")
        try #require(t.status == 0, "\(t.stderr)")
        func predict(_ matrix: String, _ out: String) throws -> ProcessOutput {
            try Tenure.run(["predict", "--model", scratch.path("m.tenure"), "--features", matrix, "--reasons", "2", "--out", scratch.path(out)])
        }
        let a = try predict(Self.csv, "csv.csv"), b = try predict(Self.fixtures + "/" + name, "pq.csv")
        try #require(a.status == 0 && b.status == 0, "\(a.stderr)\n\(b.stderr)")
        #expect(scratch.bytes("pq.csv") == scratch.bytes("csv.csv"), "\(name): predictions differ from the CSV's")
        #expect(b.stderr.contains("scored 177 rows"), "\(b.stderr)")
    }

    @Test("a directory of Parquet matrix files reads as one matrix, in name order")
    func directory() throws {
        let scratch = try Scratch()
        let dir = scratch.path("m")
        try FileManager.default.createDirectory(atPath: dir + "/part=1", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/matrix.parquet", toPath: dir + "/part=1/a.parquet")
        let t = try Self.train(Self.csv, scratch.path("m.tenure"), model: "logistic")
        try #require(t.status == 0, "\(t.stderr)")
        let p = try Tenure.run(["predict", "--model", scratch.path("m.tenure"), "--features", dir, "--out", scratch.path("d.csv")])
        let c = try Tenure.run(["predict", "--model", scratch.path("m.tenure"), "--features", Self.csv, "--out", scratch.path("c.csv")])
        try #require(p.status == 0 && c.status == 0, "\(p.stderr)")
        #expect(scratch.bytes("d.csv") == scratch.bytes("c.csv"))
    }

    @Test("truncated, damaged and wrongly typed Parquet matrices exit 2 naming the file (and row); nothing is written")
    func refusals() throws {
        let scratch = try Scratch()
        let t = try Self.train(Self.csv, scratch.path("m.tenure"), model: "logistic")
        try #require(t.status == 0, "\(t.stderr)")
        let good = try #require(FileManager.default.contents(atPath: Self.fixtures + "/matrix.parquet"))
        try good.prefix(good.count - 9).write(to: URL(fileURLWithPath: scratch.path("cut.parquet")))
        var damaged = good
        for k in 4..<min(3000, damaged.count - 8) { damaged[k] = 0x5A }
        try damaged.write(to: URL(fileURLWithPath: scratch.path("bad.parquet")))
        let cases: [(String, String)] = [
            (scratch.path("cut.parquet"), "truncated"),
            (scratch.path("bad.parquet"), "cannot read the Parquet feature matrix"),
            (Self.fixtures + "/bad-boolean-feature.parquet", "column 'events_1d' is BOOLEAN, which holds no number"),
            (Self.fixtures + "/bad-null-label.parquet", "bad-null-label.parquet:7: column 'label' is null"),
            (Self.fixtures + "/bad-text-feature.parquet", "bad-text-feature.parquet:12: column 'events_1d': 'many' is not a number"),
        ]
        for (k, (file, message)) in cases.enumerated() {
            let train = try Tenure.run(["train", "--features", file, "--out", scratch.path("t\(k).tenure")])
            #expect(train.status == 2 && train.stderr.contains(message) && train.stderr.contains((file as NSString).lastPathComponent),
                    "train \(file): \(train.status) \(train.stderr)")
            #expect(!scratch.exists("t\(k).tenure"))
            guard !message.contains("label") else { continue }   // predict passes the label through as text
            let predict = try Tenure.run(["predict", "--model", scratch.path("m.tenure"), "--features", file, "--out", scratch.path("p\(k).csv")])
            #expect(predict.status == 2 && predict.stderr.contains(message), "predict \(file): \(predict.status) \(predict.stderr)")
            #expect(!scratch.exists("p\(k).csv"))
        }
    }
}
