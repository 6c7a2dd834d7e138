// The output checks of every command, over its flags: one line per command names its outputs and inputs, and
// both checks (can be written, is no input) run before any work.
import EventLog
import TenureCore

extension Arguments {
    /// Refuses (exit 64, before any work) outputs that are the same file as one of the `inputs` flags, as
    /// --config, or as each other; the quarantine file of `--bad-rows quarantine=FILE` counts as an output.
    func checkOutputsDistinct(_ outputs: [(flag: String, path: String)], inputs: [String]) throws {
        var outs = outputs
        if let text = string("bad-rows"), case .quarantine(let path)? = try? BadRowPolicy(parsing: text) {
            outs.append(("the quarantine file of \(spelling("bad-rows"))", path))
        }
        let ins = (inputs + ["config"]).compactMap { name in string(name).map { (flag: spelling(name), path: $0) } }
        try OutputPath.checkDistinct(outputs: outs, inputs: ins)
    }

    /// For outputs named by flags (their defaults included; `-` is stdout): each can be written
    /// (`OutputPath.checkWritable`), and none is the same file as an input.
    func checkOutputs(_ outputs: [String], inputs: [String]) throws {
        let named = outputs.compactMap { name in stringOrDefault(name).map { (flag: spelling(name), path: $0) } }
        for output in named { try OutputPath.checkWritable(output.path) }
        try checkOutputsDistinct(named, inputs: inputs)
    }
}
