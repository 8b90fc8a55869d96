import Foundation
import Testing

/// Headless Chromium, when installed: where the reports are looked at.
enum Chromium {
    /// The browser's path, or `nil`.
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why the browser tests cannot run, or `nil`.
    static let missing: String? = path == nil ? "Chromium is not installed (apt-get install chromium)" : nil

    /// The measuring script: run inside the page, it finds the smallest rendered text size (an SVG's text scaled by
    /// the SVG's drawn width), every element reaching outside the viewport (unless inside a scrolling box) and
    /// every table not inside a horizontally scrolling box, and posts them to the host page as JSON.
    static let script = """
        (function () {
          const vw = window.innerWidth;
          let minFont = 1e9, minWhere = '';
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          let n;
          while ((n = walker.nextNode())) {
            if (!n.textContent.trim()) continue;
            const el = n.parentElement;
            if (!el || el.closest('title') || el.closest('script')) continue;
            const cs = getComputedStyle(el);
            if (cs.display === 'none' || cs.visibility === 'hidden') continue;
            let size = parseFloat(cs.fontSize);
            const svg = el.closest('svg');
            if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
              size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            }
            if (size < minFont) { minFont = size; minWhere = n.textContent.trim().slice(0, 40); }
          }
          const clipped = [];
          for (const el of document.body.querySelectorAll('*')) {
            if (el.closest('.scroll') || el.closest('title') || el.tagName === 'SCRIPT') continue;
            const r = el.getBoundingClientRect();
            if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) {
              clipped.push(el.tagName + ': ' + (el.textContent || '').trim().slice(0, 30));
            }
          }
          const unboxed = [...document.querySelectorAll('table')].filter(t => {
            const box = t.closest('.scroll');
            return !box || getComputedStyle(box).overflowX !== 'auto';
          }).length;
          window.parent.postMessage(JSON.stringify({ viewport: vw, pageWidth: document.documentElement.scrollWidth,
            minFont, minWhere, clipped: clipped.slice(0, 5), tables: document.querySelectorAll('table').length,
            unboxed }), '*');
        })();
        """

    /// What the page looks like at `width` px: the script's measurements. The page is drawn in an iframe of that
    /// width (headless Chromium's own window is at least 500 px wide).
    static func measure(_ page: String, width: Int, scratch: String) throws -> [String: Any] {
        let directory = scratch + "/browser-\(width)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        try html.replacingOccurrences(of: "</body>", with: "<script>\(script)</script></body>")
            .write(toFile: directory + "/page.html", atomically: true, encoding: .utf8)
        try """
            <!DOCTYPE html><html><body style="margin:0"><pre id="fg-result"></pre>
            <iframe src="page.html" style="width:\(width)px;height:2000px;border:0"></iframe>
            <script>window.addEventListener('message', e => {
              document.getElementById('fg-result').textContent = e.data; });</script></body></html>
            """.write(toFile: directory + "/host.html", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1500,2000",
                             "--virtual-time-budget=5000", "--dump-dom", "file://" + directory + "/host.html"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let start = dom.range(of: "<pre id=\"fg-result\">"),
              let end = dom[start.upperBound...].range(of: "</pre>") else { return [:] }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
        return (try JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }
}

/// The reports as people see them (issue 24, point 4), in headless Chromium at 390 and 1400 px: chart text at
/// least 11 px on a phone, nothing reaching outside the page, every table scrolling inside its own box.
extension CommandLineTests {
    @Test(.enabled(if: Chromium.missing == nil, "\(Chromium.missing ?? "")"))
    func reportsAreReadableOnAPhoneAndADesktop() throws {
        let world = scratch("browser-world"), model = scratch("browser.fgm"), out = scratch("browser-report")
        #expect(try fairground("generate", "datasets/pregnancy-prediction.yaml", "--out", world, "--users", "3000",
                               "-q").status == 0)
        #expect(try fairground("train", world, "--out", model, "--factors", "16", "--iterations", "4", "--holdout",
                               "0", "-q").status == 0)
        // With the membership attack, so its answer and charts are measured too.
        let fresh = scratch("browser-fresh")
        #expect(try fairground("generate", "datasets/pregnancy-prediction.yaml", "--out", fresh, "--users", "600",
                               "--first-user", "3000", "-q").status == 0)
        let audit = try fairground("audit", world, "--model", model, "--out", out, "--bootstrap", "20", "--privacy",
                                   "on", "--non-members", fresh, "-q")
        #expect(audit.status == 0, "\(audit.stderr)")
        var pages = [out + "/report.html"]
        let probe = scratch("browser-probe")
        let probed = try fairground("probe", world, "--model", model, "--out", probe, "-q")
        #expect(probed.status == 0 && FileManager.default.fileExists(atPath: probe + "/probe.html"), "\(probed.stderr)")
        pages.append(probe + "/probe.html")
        for page in pages {
            for width in [390, 1400] {
                let m = try Chromium.measure(page, width: width, scratch: scratch("browser"))
                let name = "\((page as NSString).lastPathComponent) at \(width) px"
                #expect(m["viewport"] as? Int == width, "\(name): \(m)")
                #expect((m["minFont"] as? Double ?? 0) >= 11, "\(name): smallest text \(m["minFont"] ?? "?") px (\(m["minWhere"] ?? ""))")
                #expect((m["pageWidth"] as? Int ?? .max) <= width, "\(name): the page is \(m["pageWidth"] ?? "?") px wide")
                #expect((m["clipped"] as? [String])?.isEmpty == true, "\(name): outside the page: \(m["clipped"] ?? "?")")
                #expect(m["unboxed"] as? Int == 0, "\(name): tables outside a scrolling box")
                #expect((m["tables"] as? Int ?? 0) > 0, "\(name)")
            }
        }
        // The privacy view's answer is on the first screen, in the answer section.
        let html = try read(out + "/report.html")
        let answerEnd = try #require(html.range(of: "</section>"))
        #expect(html[..<answerEnd.lowerBound].contains("<strong>Privacy</strong>"))
        #expect(html.contains("<strong>Membership</strong>") && html.contains("What the attack proves about ε"))
    }
}
