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
            default: out.append(c)
            }
        }
        return out
    }

    func render() -> String {
        var cases: [String] = []
        var failures = 0, skipped = 0
        let suite: String
        if let policy = report.policy {
            suite = "fairground.policy"
            for outcome in policy {
                let name = Self.escape(outcome.rule.name)
                let detail = Self.escape(outcome.checks.filter { $0.status == outcome.status }
                    .map { ($0.finding.isEmpty ? "" : $0.finding + ": ") + $0.message }.joined(separator: "\n"))
                switch outcome.status {
                case .passed:
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"/>")
                case .violated:
                    failures += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\">\n"
                                 + "      <failure message=\"violated with evidence\">\(detail)</failure>\n    </testcase>")
                case .inconclusive:
                    skipped += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\">\n"
                                 + "      <skipped message=\"inconclusive\">\(detail)</skipped>\n    </testcase>")
                }
            }
        } else {
            suite = "fairground.findings"
            for f in report.findings {
                let name = Self.escape(f.id)
                let detail = Self.escape("\(f.metric) = \(FindingText.value(f.estimate.value)) "
                                         + "\(FindingText.interval(f.estimate)); \(f.reason)")
                switch f.verdict {
                case .noEvidence:
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\"/>")
                case .disparity:
                    failures += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\">\n"
                                 + "      <failure message=\"disparity\">\(detail)</failure>\n    </testcase>")
                case .insufficientData:
                    skipped += 1
                    cases.append("    <testcase classname=\"\(suite)\" name=\"\(name)\">\n"
                                 + "      <skipped message=\"insufficient data\">\(detail)</skipped>\n    </testcase>")
                }
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
