// `tenure inspect`: what a model file holds, for a person or (with --json) a program.
import Foundation
import GradientBoosting
import LinearModels
import ModelFormat

enum InspectCommand {
    static let command = Command(
        name: "inspect", summary: "Show a model file: version, label, features, training data, metrics, coefficients or importance.",
        usage: "MODEL [--json]",
        options: [Option("model", "FILE", "model file (or give it as the argument)"), Option.flag("json", "the whole model as JSON")],
        run: run)

    static func run(_ a: Arguments) throws {
        guard let path = a.string("model") ?? a.positionals.first else { throw UsageError("'tenure inspect' needs a model file") }
        let model = try ModelFile.read(path)
        if a.flag("json") {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try e.encode(model), as: UTF8.self))
            return
        }
        print(ModelReport.summary(model))
        if let spec = model.features {
            print("features: windows \(spec.spec.windows.map { "\($0)d" }.joined(separator: ", ")), groups \(spec.spec.groups.map { "\($0.name)=\($0.events.joined(separator: "|"))" }.joined(separator: ", ")), input columns user=\(model.columns?.user ?? "?") time=\(model.columns?.time ?? "?"), time format \(model.timeFormat?.description ?? "?")")
        }
        // The trainer's settings live in the payload, under the same option names.
        var settings = model.training.settings
        let trainer = (model.gbdt ?? model.uplift?.treated).map { GBDTConfig.parameters.settings($0.config) }
            ?? model.logistic.map { LogisticConfig.parameters.settings($0.config) } ?? [:]
        settings.merge(trainer) { old, _ in old }
        print("settings: " + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if let lr = model.logistic {
            print("\ncoefficients (per standard deviation; intercept \(String(format: "%.4f", lr.intercept))):")
            let order = model.featureNames.indices.sorted { abs(lr.coefficients[$0]) > abs(lr.coefficients[$1]) }
            for j in order {
                let ind = lr.hasIndicator[j] ? String(format: "   missing %+.4f", lr.indicatorCoefficients[j]) : ""
                print("  " + model.featureNames[j].padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %+.4f", lr.coefficients[j]) + ind)
            }
        }
        if let u = model.uplift {
            // What drives the difference: gain in the models the uplift is read from.
            let parts = u.learner == .t ? [u.treated, u.control] : [u.effectTreated!, u.effectControl!]
            print("\nfeature importance (total gain in the \(u.learner == .t ? "treated and control" : "two effect") models):")
            let gain = model.featureNames.indices.map { j in parts.reduce(0.0) { $0 + $1.importance.gain[j] } }
            for j in model.featureNames.indices.sorted(by: { gain[$0] > gain[$1] }).prefix(20) where gain[j] > 0 {
                print("  " + model.featureNames[j].padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %12.2f", gain[j]))
            }
        }
        if let g = model.gbdt {
            print("\nfeature importance (splits, total gain):")
            let order = model.featureNames.indices.sorted { g.importance.gain[$0] > g.importance.gain[$1] }
            for j in order where g.importance.splitCount[j] > 0 {
                print("  " + model.featureNames[j].padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %6d  %12.2f", g.importance.splitCount[j], g.importance.gain[j]))
            }
        }
    }
}
