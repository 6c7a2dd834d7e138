// `tenure export`: a tree model in LightGBM's text format, loadable by lightgbm.Booster(model_file=...).
import EventLog
import ModelFormat
import TenureCore

enum ExportCommand {
    static let command = Command(
        name: "export", summary: "Export a gbdt model to LightGBM's text model format.",
        usage: "--model MODEL --format lightgbm --out model.txt",
        options: [Option("model", "FILE", "model file"), Option("format", "FMT", default: "lightgbm", "lightgbm"),
                  Option("out", "FILE", "output file (written whole or not at all)")],
        run: run)

    static func run(_ a: Arguments) throws {
        try a.checkOutputs(["out"], inputs: ["model"])
        let model = try ModelFile.read(try a.required("model"))
        guard a.stringOrDefault("format") == "lightgbm" else { throw UsageError("--format takes lightgbm") }
        guard let g = model.gbdt else { throw UsageError("only gbdt models export to LightGBM's format; this one is \(model.kindName)") }
        let out = try AtomicOutput(path: try a.required("out"))
        out.write(g.lightGBMModelText(featureNames: model.featureNames))
        try out.commit()
    }
}
