// The `tenure` command: one subcommand per job; each lives in its own file and holds no logic of its own.
import EventLog
import Features
import Foundation
import LinearAlgebra
import TenureCore

enum Commands {
    static let all: [Command] = [GenerateCommand.command, ProfileCommand.command, FeaturesCommand.command, TrainCommand.command, EvaluateCommand.command, PredictCommand.command,
                                 ScoreCommand.command, PlaybookCommand.command, RetentionCommand.command, ReportCommand.command,
                                 InspectCommand.command, ExportCommand.command, VerifyCommand.command, MeasureCommand.command, ShardCommand.command]
}

func topHelp() -> String {
    var lines = ["tenure: predict churn and activation from user event logs", "", "usage: tenure <command> [options]", "", "commands:"]
    for c in Commands.all { lines.append("  \(c.name.padding(toLength: 10, withPad: " ", startingAt: 0))\(c.summary)") }
    lines.append("")
    lines.append("'tenure <command> --help' describes every option. Exit codes: \(ExitCode.summary).")
    return lines.joined(separator: "\n")
}

MemoryPolicy.returnLargeBuffersToSystem()
BLAS.chooseKernelForThisCPU()   // before any thread starts: it may set OPENBLAS_CORETYPE

let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first, name != "--help", name != "-h", name != "help" else {
    print(topHelp())
    Console.finish(argv.isEmpty ? .usage : .ok)
}
if name == "--version" { print("tenure \(TenureVersion.current)"); Console.finish(.ok) }
guard let command = Commands.all.first(where: { $0.name == name }) else {
    Console.fail(UsageError("unknown command '\(name)'; commands: \(Commands.all.map(\.name).joined(separator: ", "))"))
}
do {
    let args = try Arguments(Array(argv.dropFirst()), command: command)
    if args.flag("help") { print(command.help); Console.finish(.ok) }
    try command.run(args)
} catch {
    Console.fail(error)
}
Console.finish(.ok)
