// Model loader targets: whole files, bodies under a correct header, and structure-aware edits of valid models.
// Everything runs on bytes in memory (`ModelFile.decode`): no file I/O per input.
import Foundation
import ModelFormat
import TenureCore

enum ModelTargets {
    static func file(_ bytes: [UInt8]) throws {
        try loadChecked(bytes)
    }

    /// The input is the JSON body; the header's size and checksum are made to match, so the fuzzer's bytes
    /// reach the decoder and the validation rather than stopping at the checksum.
    static func body(_ bytes: [UInt8]) throws {
        try loadChecked(withHeader(bytes))
    }

    /// The input is a program of edits on a valid model (first byte: which base; then 6 bytes per edit).
    static func splice(_ bytes: [UInt8]) throws {
        guard let selector = bytes.first else { return }
        let base = Base.all[Int(selector) % Base.all.count]
        var tree = base.tree
        var k = 1
        while k + 6 <= bytes.count {
            let b = bytes[k..<(k + 6)].map(Int.init)
            let target = base.paths[(b[1] << 8 | b[2]) % base.paths.count]
            let source = base.paths[(b[3] << 8 | b[4]) % base.paths.count]
            tree = Edit.apply(op: b[0], target: target, source: source, value: b[5], to: tree)
            k += 6
        }
        // An edit may leave a root that is no JSON document (a number); that is no model file to try.
        guard tree is [String: Any], JSONSerialization.isValidJSONObject(tree),
              let body = try? JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys]) else { return }
        try loadChecked(withHeader(Array(body)))
    }

    static func withHeader(_ body: [UInt8]) -> [UInt8] {
        Array("TENURE-MODEL 1 sha256=\(SHA256.hex(body)) bytes=\(body.count)\n".utf8) + body
    }

    /// A refusal must be the loader's bad-input error; an accepted model must score every row to a probability,
    /// explain it with contributions that add up, and save and load again.
    static func loadChecked(_ bytes: [UInt8]) throws {
        let model: TenureModel
        do { model = try ModelFile.decode(bytes) } catch {
            return try checkRefusal(error, "loading a model")
        }
        let n = model.featureCount
        try check(model.payload.featureCount == n, "the payload takes \(model.payload.featureCount) features, the model names \(n)")
        let rows: [[Double]] = [
            Array(repeating: 0, count: n), Array(repeating: .nan, count: n), Array(repeating: 1e300, count: n),
            Array(repeating: -1e300, count: n), (0..<n).map { Double($0 % 7) - 2.5 },
        ]
        for row in rows {
            try row.withUnsafeBufferPointer { r in
                let p = model.probability(r)
                try check(p >= 0 && p <= 1, "an accepted model scores \(p)")
                let c = model.contributions(r)
                try check(c.count == n + 1, "\(c.count) contributions for \(n) features")
                let raw = model.rawScore(r), sum = c.reduce(0, +)
                if raw.isFinite && c.allSatisfy(\.isFinite) {
                    let scale = max(1, c.reduce(0) { $0 + abs($1) })
                    try check(abs(sum - raw) <= 1e-6 * scale, "contributions sum to \(sum), the raw score is \(raw)")
                }
            }
        }
        let batch = model.probabilities(x: rows.flatMap { $0 }, rows: rows.count)
        try check(batch.count == rows.count, "batch scoring returned \(batch.count) scores for \(rows.count) rows")
        do {
            _ = try ModelFile.decode(ModelFile.encode(model))
        } catch {
            throw InvariantViolation("an accepted model does not load after saving: \(error)")
        }
    }

    /// A valid model to edit, parsed once, with the path of every node in it.
    struct Base: @unchecked Sendable {
        let tree: Any
        let paths: [[Edit.Step]]

        static let all: [Base] = ["gbdt", "logistic"].map { kind in
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("fuzz/base/\(kind).tenure")
            guard let data = try? Data(contentsOf: url), let newline = data.firstIndex(of: 10),
                  let tree = try? JSONSerialization.jsonObject(with: data[(newline + 1)...]) else {
                fatalError("cannot read the fuzzing base model \(url.path)")
            }
            var paths: [[Edit.Step]] = []
            Edit.collect(tree, [], into: &paths)
            return Base(tree: tree, paths: paths)
        }
    }

    /// One edit of a JSON tree at a path (a path that no longer exists after earlier edits is left alone).
    enum Edit {
        enum Step { case key(String), index(Int) }

        /// Numbers a model must survive or refuse: signs, zero, subnormals, huge, integer edges, non-finite.
        nonisolated(unsafe) static let values: [Any] = [
            0, -0.0, 1, -1, 2, 3, 0.5, -2, 7, 31, 255, 256, 65_535, 1e-320, 1e-300, 1e15, 1e300, -1e300, 1.7976931348623157e308,
            2_147_483_647, -2_147_483_648, 4_294_967_296, 9_007_199_254_740_993, Int.max, Int.min, "nan", "inf", "-inf",
            "", "x", NSNull(), true, [Any](), [String: Any](),
        ]

        static func collect(_ node: Any, _ path: [Step], into paths: inout [[Step]]) {
            paths.append(path)
            if let a = node as? [Any] {
                // Long arrays: their ends and a few inside are enough targets.
                let picks = a.count <= 16 ? Array(a.indices) : Array(Set([0, 1, 2, a.count / 2, a.count - 2, a.count - 1])).sorted()
                for i in picks { collect(a[i], path + [.index(i)], into: &paths) }
            } else if let o = node as? [String: Any] {
                for key in o.keys.sorted() { collect(o[key]!, path + [.key(key)], into: &paths) }
            }
        }

        static func get(_ node: Any, _ path: ArraySlice<Step>) -> Any? {
            guard let step = path.first else { return node }
            switch step {
            case let .index(i): guard let a = node as? [Any], a.indices.contains(i) else { return nil }; return get(a[i], path.dropFirst())
            case let .key(k): guard let o = node as? [String: Any], let v = o[k] else { return nil }; return get(v, path.dropFirst())
            }
        }

        /// Replaces the node at `path` by `f(node)` (nil removes it from its parent).
        static func modify(_ node: Any, _ path: ArraySlice<Step>, _ f: (Any) -> Any?) -> Any? {
            guard let step = path.first else { return f(node) }
            switch step {
            case let .index(i):
                guard var a = node as? [Any], a.indices.contains(i) else { return node }
                if let v = modify(a[i], path.dropFirst(), f) { a[i] = v } else { a.remove(at: i) }
                return a
            case let .key(k):
                guard var o = node as? [String: Any], let child = o[k] else { return node }
                o[k] = modify(child, path.dropFirst(), f)
                return o
            }
        }

        static func apply(op: Int, target: [Step], source: [Step], value: Int, to tree: Any) -> Any {
            let number = values[value % values.count]
            let copied = get(tree, source[...])
            let edited: Any?
            switch op % 8 {
            case 0: edited = modify(tree, target[...]) { _ in number }
            case 1: edited = modify(tree, target[...]) { old in copied ?? old }               // splice a subtree
            case 2: edited = modify(tree, target[...]) { ($0 as? [Any]).map { Array($0.dropLast()) } ?? $0 }
            case 3: edited = modify(tree, target[...]) { ($0 as? [Any]).map { $0 + [copied ?? number] } ?? $0 }
            case 4: edited = modify(tree, target[...]) { _ in nil }                            // remove
            case 5:                                                                            // swap two subtrees
                let old = get(tree, target[...])
                let once = modify(tree, target[...]) { o in copied ?? o } ?? tree
                edited = modify(once, source[...]) { o in old ?? o }
            case 6: edited = modify(tree, target[...]) { o in (o as? Double).map { nudge($0, value) } ?? o }
            default: edited = modify(tree, target[...]) { o in (o as? [Any]).map { Array($0.reversed()) } ?? o }
            }
            return edited ?? tree
        }

        /// Small moves of a number: off by one, sign, doubling, the next representable value.
        static func nudge(_ x: Double, _ how: Int) -> Double {
            switch how % 6 {
            case 0: return x + 1
            case 1: return x - 1
            case 2: return -x
            case 3: return x * 2
            case 4: return x.nextUp
            default: return x.nextDown
            }
        }
    }
}
