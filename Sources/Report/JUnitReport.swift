import Audit

/// `junit.xml`: one test case per policy rule (failure when violated with evidence, skipped when
/// inconclusive); without a policy, one test case per finding (failure when its verdict is a disparity).
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

    /// One test case: passed, failed or skipped, with a message and details.
    enum Outcome {
        case passed
        case failed(String)
        case skipped(String)
    }

    func render() -> String {
        var entries: [(name: String, outcome: Outcome, detail: String)] = []
        let suite: String
        if let policy = report.policy {
            suite = "fairground.policy"
            for outcome in policy {
                let detail = outcome.checks.filter { $0.status == outcome.status }
                    .map { ($0.finding.isEmpty ? "" : $0.finding + ": ") + $0.message }.joined(separator: "\n")
                let result: Outcome = switch outcome.status {
                case .passed: .passed
                case .violated: .failed("violated with evidence")
                case .inconclusive: .skipped("inconclusive")
                }
                entries.append((outcome.rule.name, result, detail))
            }
        } else {
            suite = "fairground.findings"
            for f in report.findings {
                let detail = "\(f.metric) = \(FindingText.value(f.estimate.value)) \(FindingText.interval(f.estimate)); \(f.reason)"
                let result: Outcome = switch f.verdict {
                case .noEvidence: .passed
                case .disparity: .failed("disparity")
                case .insufficientData: .skipped("insufficient data")
                }
                entries.append((f.id, result, detail))
            }
        }
        // Warnings (a baseline compared despite differences) are test cases of their own, never silent.
        for warning in report.warnings ?? [] { entries.append(("warning", .skipped("warning"), warning)) }
        var cases: [String] = []
        var failures = 0, skipped = 0
        for (name, outcome, detail) in entries {
            let open = "    <testcase classname=\"\(suite)\" name=\"\(Self.escape(name))\""
            switch outcome {
            case .passed:
                cases.append(open + "/>")
            case .failed(let message):
                failures += 1
                cases.append(open + ">\n      <failure message=\"\(message)\">\(Self.escape(detail))</failure>\n    </testcase>")
            case .skipped(let message):
                skipped += 1
                cases.append(open + ">\n      <skipped message=\"\(message)\">\(Self.escape(detail))</skipped>\n    </testcase>")
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="fairground audit" tests="\(cases.count)" failures="\(failures)" skipped="\(skipped)">
              <testsuite name="\(suite)" tests="\(cases.count)" failures="\(failures)" skipped="\(skipped)" errors="0">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }
}
