import Audit

/// `junit.xml`, agreeing with the exit code: with a policy, one test case per rule — a failure when it is violated
/// with evidence (or inconclusive under `--inconclusive fail`), a passing case with a warning in its output when
/// it is inconclusive; without a policy (exit 0), one informational, passing test case per finding, its verdict
/// and reason in its output.
struct JUnitReport {
    let report: AuditReport

    init(_ report: AuditReport) { self.report = report }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 allows no control characters but tab, newline and carriage return, not even escaped.
            case _ where c.unicodeScalars.contains { $0.value < 0x20 && ![9, 10, 13].contains($0.value) }:
                out += "\u{FFFD}"
            default: out.append(c)
            }
        }
        return out
    }

    /// One test case: passed (its details as its output) or failed, with a message and details.
    enum Outcome {
        case passed
        case failed(String)
    }

    func render() -> String {
        var entries: [(name: String, outcome: Outcome, detail: String)] = []
        let suite: String
        if let policy = report.policy {
            suite = "fairground.policy"
            for outcome in policy {
                let detail = outcome.checks.filter { $0.status == outcome.status }
                    .map { ($0.finding.isEmpty ? "" : $0.finding + ": ") + $0.message }.joined(separator: "\n")
                let result: Outcome
                switch outcome.status {
                case .passed: result = .passed
                case .violated: result = .failed("violated with evidence")
                case .inconclusive:
                    result = report.inconclusiveFails == true ? .failed("inconclusive (--inconclusive fail)") : .passed
                }
                let shown = outcome.status == .inconclusive && report.inconclusiveFails != true
                    ? "warning: inconclusive: " + detail : detail
                entries.append((outcome.rule.name, result, shown))
            }
        } else {
            // No policy: nothing can fail (the exit code is 0); every finding is an informational case.
            suite = "fairground.findings"
            for f in report.findings {
                let detail = "\(f.verdict.words): \(f.metric) = \(FindingText.value(f.estimate.value)) "
                    + "\(FindingText.interval(f.estimate)); \(f.reason)"
                entries.append((f.id, .passed, detail))
            }
        }
        // Warnings (a baseline compared despite differences) are printed in a case of their own, never silent.
        for warning in report.warnings ?? [] { entries.append(("warning", .passed, "warning: " + warning)) }
        var cases: [String] = []
        var failures = 0
        for (name, outcome, detail) in entries {
            let open = "    <testcase classname=\"\(suite)\" name=\"\(Self.escape(name))\""
            switch outcome {
            case .passed:
                cases.append(detail.isEmpty ? open + "/>"
                             : open + ">\n      <system-out>\(Self.escape(detail))</system-out>\n    </testcase>")
            case .failed(let message):
                failures += 1
                cases.append(open + ">\n      <failure message=\"\(message)\">\(Self.escape(detail))</failure>\n    </testcase>")
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="fairground audit" tests="\(cases.count)" failures="\(failures)" skipped="0">
              <testsuite name="\(suite)" tests="\(cases.count)" failures="\(failures)" skipped="0" errors="0">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }
}
