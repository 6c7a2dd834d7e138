// The uplift model's ranking judged on a later randomized campaign of a generated log (`generate --campaigns`:
// README's table of hidden types). Trained on recall-1, judged on recall-2's two arms (about 700 users: a few
// hundred give a chance spread as wide as the effect; see the margin below).
//
// Why it must beat churn risk: on the generator's table, the users a contact changes are persuadables (+0.8·(1 − r₀)
// retention) and sleeping dogs (−0.6·r₀); churn risk puts first the at-risk users, who are persuadables and
// lost causes alike, and the idle bonus hunters (sleeping dogs) a contact drives away, so its Qini is near zero
// or below, while the uplift model can tell the four apart from what their events show.
//
// The margin: a ranking that knows nothing still scores a Qini coefficient by chance, and with a few hundred
// judged users that chance is wide. The test measures it on the judged users themselves, the standard deviation
// σ₀ of the Qini coefficient over random orderings, and asks for more than z·σ₀ above zero and more than
// z·√2·σ₀ above churn risk (the spread of the difference of two unrelated orderings), z = 1.645: a margin an
// ordering unrelated to the effect passes 5% of the time (one-sided).
import Evaluation
import Foundation
import Testing
import TestSupport

@Suite("Uplift model: Qini on a later generated campaign", .serialized)
struct UpliftQiniTests {
    @Test("trained on the first campaign, judged on the second: Qini above zero and above churn risk by the chance margin")
    func heldOutQini() throws {
        let scratch = try Scratch()
        let events = scratch.path("events.csv"), contacts = scratch.path("contacts.csv"), model = scratch.path("uplift.tenure")
        let gen = try Tenure.run(["generate", "--users", "12000", "--days", "84", "--seed", "7", "--campaigns", "2",
                                  "--out", events, "--contacts-out", contacts])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let train = try Tenure.run(["train", "--task", "uplift", "--events", events, "--contacts", contacts, "--horizon", "14d",
                                    "--model", "gbdt", "--min-arm-rows", "50", "--out", model])
        try #require(train.status == 0, "train: \(train.stderr)")
        let (_, contactRows) = CSV.table(scratch.bytes("contacts.csv"))
        let night = String(try #require(contactRows.first { $0["campaign"] == "recall-2" })["contacted_at"]!.prefix(10))
        // The judged campaign's users: churn label at the contact night (label 1 = no event in the 14 days from
        // midnight, the contact time: `measure`'s retained = 0), then the model's columns for the same rows.
        let features = try Tenure.run(["features", "--events", events, "--cutoff", night, "--horizon", "14d",
                                       "--out", scratch.path("judged.csv")])
        try #require(features.status == 0, "features: \(features.stderr)")
        let predict = try Tenure.run(["predict", "--model", model, "--features", scratch.path("judged.csv"),
                                      "--out", scratch.path("judged-p.csv")])
        try #require(predict.status == 0, "predict: \(predict.stderr)")
        var arm: [String: Bool] = [:]
        for c in contactRows where c["campaign"] == "recall-2" { arm[c["user_id"]!] = c["group"] == "treatment" }
        let (_, rows) = CSV.table(scratch.bytes("judged-p.csv"))
        let judged = rows.filter { arm[$0["user_id"]!] != nil }
        try #require(judged.count == arm.count, "every contacted user of recall-2 has a row (\(judged.count) of \(arm.count))")
        let outcomes = judged.map { $0["label"] == "1" ? 0.0 : 1.0 }, treated = judged.map { arm[$0["user_id"]!]! }
        let uplift = judged.map { Double($0["uplift"]!)! }, risk = judged.map { Double($0["probability"]!)! }
        let q = try #require(try UpliftCurves.qiniCoefficient(outcomes: outcomes, uplift: uplift, treated: treated))
        let qRisk = try #require(try UpliftCurves.qiniCoefficient(outcomes: outcomes, uplift: risk, treated: treated))

        // The model stored the same figure for the same users at training (its time-held-out validation).
        let inspect = try Tenure.run(["inspect", model, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        let validation = try #require((json["uplift"] as? [String: Any])?["validation"] as? [String: Any])
        let stored = try #require((validation["metrics"] as? [String: Any])?["qiniCoefficient"] as? Double)
        #expect(abs(stored - q) < 1e-9, "stored \(stored), recomputed \(q)")

        var rng = SplitMix64(seed: 3)
        let null = try (0..<400).map { _ in try UpliftCurves.qiniCoefficient(outcomes: outcomes, uplift: uplift.shuffled(using: &rng), treated: treated) ?? 0 }
        let mean = null.reduce(0, +) / Double(null.count)
        let sigma = (null.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(null.count - 1)).squareRoot()
        let z = 1.645
        #expect(q > z * sigma, "Qini \(q) against chance σ₀ \(sigma)")
        #expect(q - qRisk > z * 2.0.squareRoot() * sigma, "Qini \(q), churn risk \(qRisk), σ₀ \(sigma)")
    }
}
