// `tenure report` (placeholder while the Report module is built).
enum ReportCommand {
    static let command = Command(name: "report", summary: "placeholder", usage: "", options: [], run: { _ in })
}
