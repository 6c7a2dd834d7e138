// Training progress on stderr: a bar redrawn in place on a terminal, plain lines in a pipe or a file.
import Foundation
import Training

/// Shows `TrainingProgress` reports on stderr.
///
/// - Terminal (`isatty(2)`): one transient line redrawn with `\r` (at most every 0.1 s): for steps a bar
///   `[#########-----------]  45/100 trees  2.1 s, ~2.6 s left  detail`, for statuses the text. A note first
///   ends the transient line (so the last state stays visible above it) and is printed on its own line.
/// - Pipe: notes and statuses are printed as lines; steps only at every 10 % and the last one, so a log
///   stays short (the same lines the CLI printed before the bar existed).
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let terminal: Bool
    private let width = 24
    private var transient = ""            // what the current in-place line shows (terminal only)
    private var pending: String?          // newest text not yet drawn (throttled)
    private var lastDraw = 0.0
    private var stepStart: Double?

    init(terminal: Bool = isatty(2) != 0) { self.terminal = terminal }

    func report(_ event: TrainingProgress) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case let .note(text):
            endTransient()
            write(text + "\n")
        case let .status(text):
            if terminal { draw(text, force: false) } else { write(text + "\n") }
        case let .step(done, total, unit, detail):
            let now = Self.now()
            if stepStart == nil || done <= 1 { stepStart = now }
            let last = done >= total
            if terminal {
                draw(bar(done: done, total: total, unit: unit, detail: detail, elapsed: now - (stepStart ?? now)), force: last)
                if last { endTransient() }
            } else {
                let every = max(1, total / 10)
                if done % every == 0 || last { write("\(unit.dropLast()) \(done)/\(total): \(detail)\n") }
            }
        }
    }

    /// Ends any in-place line; call before printing anything else to stderr.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        endTransient()
    }

    /// `[####----]  done/total unit  elapsed, ~remaining left  detail`.
    func bar(done: Int, total: Int, unit: String, detail: String, elapsed: Double) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        var text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
        text += "\(done)/\(total) \(unit)  " + String(format: "%.1f s", elapsed)
        if done > 0, done < total {
            text += String(format: ", ~%.1f s left", elapsed / Double(done) * Double(total - done))
        }
        return text + "  " + detail
    }

    private func draw(_ text: String, force: Bool) {
        let now = Self.now()
        guard force || transient.isEmpty || now - lastDraw >= 0.1 else { pending = text; return }
        lastDraw = now
        pending = nil
        let columns = Self.terminalColumns()
        let shown = text.count >= columns ? String(text.prefix(columns - 1)) : text
        write("\r\u{1B}[2K" + shown)
        transient = shown
    }

    private func endTransient() {
        if let pending { draw(pending, force: true) }
        guard !transient.isEmpty else { return }
        write("\n")
        transient = ""
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 100
    }
}
