// The report in a real browser: headless Chromium (Debian package `chromium`, installed by `make deps`)
// renders every chart, the screenshot is not blank, and the page requests nothing from the network.
import Foundation
import Testing
@testable import Report

enum Browser {
    static let path: String? = {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["TENURE_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    /// TENURE_SKIP_BROWSER=1 turns the browser test off on machines without Chromium (CI never sets it).
    static let skipped = ProcessInfo.processInfo.environment["TENURE_SKIP_BROWSER"] == "1"

    /// Starts Chromium on `page` with its own profile, name resolution switched off and a net log.
    static func start(_ page: URL, in dir: URL, name: String, extra: [String]) throws -> (Process, URL) {
        let chromium = try #require(path, "chromium is not installed: run 'make deps' (Debian package chromium) or set TENURE_CHROMIUM")
        let stdout = dir.appendingPathComponent("\(name).stdout")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                       "--disable-background-networking", "--disable-component-update", "--disable-sync",
                       "--host-resolver-rules=MAP * ~NOTFOUND",
                       "--user-data-dir=\(dir.appendingPathComponent("\(name).profile").path)",
                       "--log-net-log=\(dir.appendingPathComponent("\(name).netlog.json").path)"] + extra + [page.absoluteString]
        p.standardOutput = try FileHandle(forWritingTo: stdout)
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, stdout)
    }

    /// URLs of requests a page started (Chromium's own background requests carry initiator "not an origin").
    static func pageRequests(netLog: URL) throws -> [String] {
        let data = try Data(contentsOf: netLog)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "net log is not JSON")
        let constants = try #require(root["constants"] as? [String: Any])
        let types = try #require(constants["logEventTypes"] as? [String: Int])
        let start = try #require(types["URL_REQUEST_START_JOB"])
        var urls: [String] = []
        for case let e as [String: Any] in (root["events"] as? [Any]) ?? [] where (e["type"] as? Int) == start {
            guard let params = e["params"] as? [String: Any], let url = params["url"] as? String else { continue }
            if (params["initiator"] as? String) != "not an origin" { urls.append(url) }
        }
        return urls
    }
}

@Suite(.serialized, .disabled(if: Browser.skipped, "TENURE_SKIP_BROWSER=1"))
struct BrowserRendering {
    static let expected = ["roc", "pr", "gains", "lift", "calibration", "calibration-counts", "distribution",
                           "importance", "contributions", "backtest", "retention", "run-tiers", "run-segments", "run-actions"]

    @Test func chromiumRendersEveryChartAndRequestsNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try Data(try ModelReportPage.html(try ReportFixture.fullInput()).utf8).write(to: page)
        // A control page with one remote image: proves the net-log check sees a page's request.
        let control = dir.appendingPathComponent("control.html")
        try Data("<!DOCTYPE html><html><body><img src=\"http://tenure-control.invalid/x.png\" alt=\"\"></body></html>".utf8).write(to: control)
        let screenshot = dir.appendingPathComponent("report.png")

        let runs = [try Browser.start(page, in: dir, name: "report", extra: ["--screenshot=\(screenshot.path)", "--window-size=1280,4000", "--dump-dom"]),
                    try Browser.start(control, in: dir, name: "control", extra: ["--dump-dom"])]
        for (p, _) in runs { p.waitUntilExit() }
        for (p, _) in runs { #expect(p.terminationStatus == 0, "chromium exited \(p.terminationStatus)") }

        // Every chart is in the DOM Chromium built, with marks (paths or rects) and axis tick labels.
        let dom = String(decoding: try Data(contentsOf: runs[0].1), as: UTF8.self)
        #expect(dom.contains("</html>"))
        for id in Self.expected {
            let start = try #require(dom.range(of: "data-chart=\"\(id)\""), "chart \(id) missing from the DOM")
            let end = try #require(dom.range(of: "</svg>", range: start.upperBound..<dom.endIndex))
            let svg = dom[start.lowerBound..<end.lowerBound]
            #expect(count("<path", in: String(svg)) + count("<rect", in: String(svg)) >= 2, "chart \(id) has no marks")
            #expect(count("class=\"tick\"", in: String(svg)) >= 3, "chart \(id) has no axis ticks")
        }

        // The screenshot has ink: charts and text, not a white page.
        let png = try PNGImage(Array(try Data(contentsOf: screenshot)))
        #expect(png.width == 1280 && png.height == 4000)
        let ink = png.inkStatistics()
        #expect(ink.share > 0.02, "only \(ink.share) of the screenshot differs from the background")
        #expect(ink.colours > 50)

        // No request from the page; the control page's image request is seen, so the check can fail.
        #expect(try Browser.pageRequests(netLog: dir.appendingPathComponent("report.netlog.json")) == [])
        #expect(try Browser.pageRequests(netLog: dir.appendingPathComponent("control.netlog.json")).contains("http://tenure-control.invalid/x.png"))
    }
}
