// `tenure playbook`: show the built-in recall playbook, or check a playbook file before a night depends on it.
import Foundation
import Targeting

enum PlaybookCommand {
    static let command = Command(
        name: "playbook", summary: "Print the built-in recall playbook, or check a playbook file.",
        usage: "--print-default | --check FILE",
        options: [
            Option.flag("print-default", "print the built-in playbook as JSON (a starting point for your own)"),
            Option("check", "FILE", "parse and validate a playbook file; prints its rules in order"),
        ],
        run: run)

    static func run(_ a: Arguments) throws {
        if a.flag("print-default") {
            print(Playbook.default.json())
            return
        }
        guard let path = a.string("check") else { throw UsageError("'tenure playbook' needs --print-default or --check FILE") }
        let playbook = try Playbook.load(path: path)
        print("\(path): valid; value = sum over \(playbook.value.windowDays) days of \(playbook.value.events.joined(separator: ", "))")
        printRules(playbook.rules)
        let a = playbook.activation
        print("activation models: tiers likely from score \(String(format: "%g", a.tiers.likely)), possible from \(String(format: "%g", a.tiers.possible)); new users stalled after \(a.segments.stalledDays) days without an event, close to activating with \(a.segments.closeActiveDays)+ active days in the last 7, just signed up under \(a.segments.justSignedUpDays) days")
        printRules(a.rules)
    }

    static func printRules(_ rules: [PlaybookRule]) {
        for (i, r) in rules.enumerated() {
            print("  \(i + 1). \(describe(r.when)) → \(r.action)")
        }
        print("  otherwise → none")
    }

    static func describe(_ c: RuleCondition) -> String {
        var parts: [String] = []
        if let m = c.minDaysInactive { parts.append("inactive ≥ \(m) days") }
        if let m = c.maxDaysInactive { parts.append("inactive ≤ \(m) days") }
        if let t = c.tiers { parts.append("tier in \(t.joined(separator: "/"))") }
        if let s = c.segments { parts.append("segment in \(s.joined(separator: "/"))") }
        if let m = c.minValue { parts.append("value ≥ \(m)") }
        if let m = c.minScore { parts.append("score ≥ \(m)") }
        return parts.isEmpty ? "always" : parts.joined(separator: ", ")
    }
}
