// `tenure-bench`: the Swift side of the bench/ stages. It times the library calls the stages compare with
// their peers (on in-memory matrices, as the peers are timed) and prints one JSON object per run.
// It is a measuring tool, not part of the product: it asserts nothing and ships in no release.
import Foundation

let benches: [String: ([String]) throws -> Void] = [
    "logistic": LogisticBench.run,
    "gbdt": GBDTBench.run,
    "shap": SHAPBench.run,
    "read": ReadBench.run,
]

let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first, let bench = benches[name] else {
    FileHandle.standardError.write(Data("usage: tenure-bench <\(benches.keys.sorted().joined(separator: "|"))> [options]\n".utf8))
    exit(64)
}
do {
    try bench(Array(argv.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("tenure-bench: \(error)\n".utf8))
    exit(1)
}
