// The report in a real browser: headless Chromium (Debian package `chromium`, installed by `make deps`)
// renders every chart, the screenshot is not blank, the page requests nothing from the network, and laid out
// at 1280 and 800 px every chart label is 12 px or more, inside its chart and clear of the others, and no
// table runs past its column.
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

/// What a script run in the laid-out page found: the viewport width, how many charts and labels it measured,
/// and every label under 12 px, clipped by its chart or overlapping another label, and every table wider
/// than its container.
struct LayoutCheck: Decodable {
    var width: Int
    var charts: Int
    var texts: Int
    var problems: [String]

    /// Runs in the page after layout; writes its findings, base64 JSON, into <pre id="layout-check">.
    static let script = """
    (() => {
      const problems = [], tol = 0.5;
      let texts = 0;
      const own = t => Array.from(t.childNodes).filter(n => n.nodeType === 3).map(n => n.nodeValue).join('');
      for (const svg of document.querySelectorAll('svg.chart')) {
        const id = svg.getAttribute('data-chart'), frame = svg.getBoundingClientRect(), boxes = [];
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect(), label = own(t);
          if (r.width === 0 || label.trim() === '') continue;
          texts++;
          const m = t.getScreenCTM(), px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
          if (px < 12 - 0.01) problems.push(`${id}: "${label}" is ${px.toFixed(1)} px`);
          if (r.left < frame.left - tol || r.right > frame.right + tol || r.top < frame.top - tol || r.bottom > frame.bottom + tol)
            problems.push(`${id}: "${label}" is clipped by the chart's edge`);
          boxes.push({label, r});
        }
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r, b = boxes[j].r;
          if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > tol && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tol)
            problems.push(`${id}: "${boxes[i].label}" overlaps "${boxes[j].label}"`);
        }
      }
      for (const table of document.querySelectorAll('table')) {
        const outer = table.parentElement.getBoundingClientRect(), r = table.getBoundingClientRect();
        if (r.right > outer.right + tol) problems.push(`table starting "${table.textContent.slice(0, 30)}" overflows its column by ${(r.right - outer.right).toFixed(0)} px`);
      }
      const page = document.documentElement.scrollWidth;
      if (page > window.innerWidth + 1) problems.push(`the page is ${page} px wide in a ${window.innerWidth} px window`);
      const out = document.createElement('pre');
      out.id = 'layout-check';
      const json = JSON.stringify({width: window.innerWidth, charts: document.querySelectorAll('svg.chart').length, texts, problems});
      out.textContent = btoa(unescape(encodeURIComponent(json)));
      document.body.appendChild(out);
    })();
    """

    /// `html` with the script added (a copy for the test: the report itself has no script).
    static func instrumented(_ html: String) -> String {
        html.replacingOccurrences(of: "</body>", with: "<script>\(script)</script></body>")
    }

    /// Reads the findings out of a DOM dump.
    static func read(dom: String) throws -> LayoutCheck {
        let start = try #require(dom.range(of: "<pre id=\"layout-check\">"), "the layout script did not run")
        let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        let data = try #require(Data(base64Encoded: String(dom[start.upperBound..<end.lowerBound])))
        return try JSONDecoder().decode(LayoutCheck.self, from: data)
    }
}

@Suite(.serialized, .disabled(if: Browser.skipped, "TENURE_SKIP_BROWSER=1"))
struct BrowserRendering {
    static let expected = ["roc", "pr", "gains", "lift", "calibration", "calibration-counts", "distribution",
                           "importance", "contributions", "backtest", "retention", "run-tiers", "run-segments", "run-actions", "drift"]

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

    /// A page with one of each fault the layout check looks for, so the check is seen to fail.
    static let faultyPage = """
    <!DOCTYPE html><html><body style="margin:0">
    <svg class="chart" data-chart="faulty" viewBox="0 0 640 100" width="640" height="100">
    <text x="10" y="30" style="font-size:9px">tiny</text>
    <text x="100" y="60" style="font-size:14px">first label</text><text x="110" y="62" style="font-size:14px">second label</text>
    <text x="600" y="90" style="font-size:14px">n=4393</text></svg>
    <div style="width:200px"><table><tr><td style="white-space:nowrap">a cell far wider than the two hundred pixels it has</td></tr></table></div>
    </body></html>
    """

    @Test func everyChartLabelIsReadableAtBothWidths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html"), faulty = dir.appendingPathComponent("faulty.html")
        try Data(LayoutCheck.instrumented(try ModelReportPage.html(try ReportFixture.fullInput())).utf8).write(to: page)
        try Data(LayoutCheck.instrumented(Self.faultyPage).utf8).write(to: faulty)
        let widths = [1280, 800]
        let runs = try widths.map { w in try Browser.start(page, in: dir, name: "w\(w)", extra: ["--window-size=\(w),3000", "--dump-dom"]) }
            + [try Browser.start(faulty, in: dir, name: "faulty", extra: ["--window-size=800,600", "--dump-dom"])]
        for (p, _) in runs { p.waitUntilExit() }
        let checks = try runs.map { try LayoutCheck.read(dom: String(decoding: try Data(contentsOf: $0.1), as: UTF8.self)) }

        for (w, c) in zip(widths, checks) {
            #expect(c.width == w, "the window was \(c.width) px, not \(w)")
            #expect(c.charts == Self.expected.count)
            #expect(c.texts > 200, "only \(c.texts) chart labels measured at \(w) px")
            #expect(c.problems == [], "at \(w) px")
        }
        // The faulty page trips every check.
        let found = checks[2].problems.joined(separator: "\n")
        for fault in ["\"tiny\" is 9.0 px", "\"first label\" overlaps \"second label\"", "\"n=4393\" is clipped", "overflows its column"] {
            #expect(found.contains(fault), "the check missed: \(fault)")
        }
    }
}
