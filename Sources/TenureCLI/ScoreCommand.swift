// `tenure score`: every eligible user as of a date, ranked by risk, with the top reasons; written atomically.
import Dispatch
import EventLog
import Features
import Foundation
import ModelFormat
import Scoring

enum ScoreCommand {
    static let command = Command(
        name: "score", summary: "Score every eligible user as of a date and write the ranked list (CSV or JSON Lines).",
        usage: "--model MODEL --events FILE --as-of DATE --out FILE [--top N]",
        options: [
            Option("model", "FILE", "model file"),
            Option("as-of", "DATE", "score as of this time (features see only earlier events); 'yesterday' = today's UTC midnight"),
            Option("out", "FILE", default: "-", "ranked list (written whole or not at all); - for stdout"),
            Option("output-format", "FMT", default: "csv", "csv or jsonl"),
            Option("top", "N", "keep only the N riskiest users"),
            Option("reasons", "N", default: "3", "top reasons (feature, value, contribution) per user"),
            Option("tier-medium", "S", default: "50", "score at which the medium tier starts"),
            Option("tier-high", "S", default: "75", "score at which the high tier starts"),
        ] + EventOptions.reading.filter { !["user-col", "time-col", "event-col", "value-col", "time-format", "format"].contains($0.name) }
          + [Option("format", "FORMAT", "input format (default: the model's)"),
             Option("time-format", "FMT", "timestamp format (default: the model's)")],
        run: run)

    static func run(_ a: Arguments) throws {
        // Every usage check before any work: a typo must not cost a night's read.
        guard let asOfText = a.string("as-of") else { throw UsageError("'tenure score' needs --as-of") }
        let asOf = try parseAsOf(asOfText)
        let outputFormat = a.string("output-format") ?? "csv"
        guard ["csv", "jsonl"].contains(outputFormat) else { throw UsageError("--output-format takes csv or jsonl, not '\(outputFormat)'") }
        let tiers = TierThresholds(medium: try a.double("tier-medium") ?? 50, high: try a.double("tier-high") ?? 75)
        let top = try a.int("top").map { max(0, $0) }
        let reasonCount = max(0, try a.int("reasons") ?? 3)
        let scorer = try Scorer(path: try a.required("model"))
        let model = scorer.model
        let (store, _) = try EventOptions.readStore(a, layoutOf: model)
        let (table, ranked) = try scorer.rank(store: store, asOf: asOf, tiers: tiers, threads: try a.int("threads") ?? 2)
        let kept = Array(ranked.prefix(top ?? ranked.count))
        let reasons = ReasonFinder.topReasons(model: model, table: table, users: kept, count: reasonCount)
        let out = try AtomicOutput(path: a.string("out") ?? "-")
        if outputFormat == "jsonl" {
            try writeJSONL(kept, reasons: reasons, to: out)
        } else {
            try writeCSV(kept, reasons: reasons, reasonCount: reasonCount, to: out)
        }
        try out.commit()
        var byTier: [String: Int] = [:]
        for u in ranked { byTier[u.tier, default: 0] += 1 }
        Console.note("scored \(ranked.count) eligible users as of \(formatTimestamp(asOf)) (\(model.label.summary)); high \(byTier["high"] ?? 0), medium \(byTier["medium"] ?? 0), low \(byTier["low"] ?? 0); wrote \(kept.count)")
    }

    static func parseAsOf(_ text: String) throws -> Int64 {
        if text == "yesterday" || text == "today" {
            // The nightly job scores the day that just ended: as of today's midnight UTC.
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            return now / millisPerDay * millisPerDay
        }
        guard let t = parseTimestamp(text) else { throw UsageError("--as-of takes a date like 2026-05-31, or 'yesterday'") }
        return t
    }

    static func writeCSV(_ users: [ScoredUser], reasons: [[Reason]], reasonCount: Int, to out: AtomicOutput) throws {
        out.write("user_id,probability,score,percentile,tier")
        for k in 1...max(1, reasonCount) where reasonCount > 0 { out.write(",reason_\(k),reason_\(k)_value,reason_\(k)_contribution") }
        out.write("\n")
        for (i, u) in users.enumerated() {
            out.write(FeatureTableCSV.csvField(u.userID)); out.write(byte: 44)
            out.write(String(format: "%.6f", u.probability)); out.write(byte: 44)
            out.write(number: u.score); out.write(byte: 44)
            out.write(number: u.percentile); out.write(byte: 44)
            out.write(u.tier)
            for k in 0..<reasonCount {
                if k < reasons[i].count {
                    let r = reasons[i][k]
                    out.write(","); out.write(r.feature); out.write(","); out.write(number: r.value); out.write(",")
                    out.write(String(format: "%.4f", r.contribution))
                } else {
                    out.write(",,,")
                }
            }
            out.write(byte: 10)
            try out.flushIfLarge()
        }
    }

    static func writeJSONL(_ users: [ScoredUser], reasons: [[Reason]], to out: AtomicOutput) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        struct Line: Encodable { let user_id: String; let probability, score, percentile: Double; let tier: String; let reasons: [Reason] }
        for (i, u) in users.enumerated() {
            let line = Line(user_id: u.userID, probability: u.probability, score: u.score, percentile: u.percentile, tier: u.tier, reasons: reasons[i])
            out.write(bytes: try encoder.encode(line)); out.write(byte: 10)
            try out.flushIfLarge()
        }
    }
}
