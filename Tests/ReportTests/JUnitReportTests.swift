@testable import Audit
@testable import Report
import Testing

/// `junit.xml`: the exact document for small reports, with and without a policy (its failures agree with the exit
/// code), warnings in a case's output, and text XML 1.0 can hold.
@Suite struct JUnitReportTests {
    typealias F = ReportFixture

    @Test func findingsAreTestCasesWithoutAPolicy() {
        var r = F.report(findings: [F.finding(.demographicParityRatio, value: 0.9, verdict: .noMaterialGap),
                                    F.gap(.material),
                                    F.finding(.equalOpportunityDifference, value: 0.3, verdict: .inconclusive,
                                              reason: "too few")])
        r.warnings = ["baseline \"b\" differs"]
        // Without a policy the exit code is 0: every case passes, its verdict and reason in its output.
        #expect(JUnitReport(r).render() == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="fairground audit" tests="4" failures="0" skipped="0">
              <testsuite name="fairground.findings" tests="4" failures="0" skipped="0" errors="0">
                <testcase classname="fairground.findings" name="campaign/loan/gender/demographic_parity_ratio">
                  <system-out>no material gap: demographic_parity_ratio = 0.9 [0.89, 0.91]; because &lt;&amp;&gt;</system-out>
                </testcase>
                <testcase classname="fairground.findings" name="campaign/loan/gender/demographic_parity_difference">
                  <system-out>material gap: demographic_parity_difference = 0.12 [0.11, 0.13]; because &lt;&amp;&gt;</system-out>
                </testcase>
                <testcase classname="fairground.findings" name="campaign/loan/gender/equal_opportunity_difference">
                  <system-out>inconclusive: equal_opportunity_difference = 0.3 [0.29, 0.31]; too few</system-out>
                </testcase>
                <testcase classname="fairground.findings" name="warning">
                  <system-out>warning: baseline &quot;b&quot; differs</system-out>
                </testcase>
              </testsuite>
            </testsuites>

            """)
    }

    /// With a policy, the rules are the cases; a case's detail lists the checks that gave the rule its status. An
    /// inconclusive rule passes with a warning in its output — or fails under `--inconclusive fail`.
    @Test func rulesAreTestCasesWithAPolicy() {
        let policy = [
            F.outcome("gap <= 5%", .violated, checks: [.init(finding: "a", status: .violated, message: "0.12 > 0.05"),
                                                       .init(finding: "b", status: .passed, message: "0.01"),
                                                       .init(finding: "c", status: .violated, message: "0.2 > 0.05")]),
            F.outcome("ratio", .passed, checks: [.init(finding: "d", status: .passed, message: "fine")]),
            F.outcome("odds", .inconclusive, checks: [.init(finding: "", status: .inconclusive, message: "nothing matched")]),
        ]
        var report = F.report(findings: [F.gap(.material)], policy: policy)
        let xml = JUnitReport(report).render()
        #expect(xml.contains("<testsuites name=\"fairground audit\" tests=\"3\" failures=\"1\" skipped=\"0\">"))
        #expect(xml.contains("""
                <testcase classname="fairground.policy" name="gap &lt;= 5%">
                  <failure message="violated with evidence">a: 0.12 &gt; 0.05
            c: 0.2 &gt; 0.05</failure>
                </testcase>
                <testcase classname="fairground.policy" name="ratio">
                  <system-out>d: fine</system-out>
                </testcase>
                <testcase classname="fairground.policy" name="odds">
                  <system-out>warning: inconclusive: nothing matched</system-out>
                </testcase>
            """))
        #expect(!xml.contains("fairground.findings"))
        report.inconclusiveFails = true
        let failing = JUnitReport(report).render()
        #expect(failing.contains("<testsuites name=\"fairground audit\" tests=\"3\" failures=\"2\" skipped=\"0\">"))
        #expect(failing.contains("<failure message=\"inconclusive (--inconclusive fail)\">nothing matched</failure>"))
    }

    @Test func anEmptyReportIsAnEmptySuite() {
        let xml = JUnitReport(F.report(findings: [])).render()
        #expect(xml.contains("<testsuite name=\"fairground.findings\" tests=\"0\" failures=\"0\" skipped=\"0\" errors=\"0\">"))
    }

    /// XML 1.0 allows no control characters but tab, newline and carriage return, not even as references.
    @Test func controlCharactersAreReplacedAndMarkupEscaped() {
        #expect(JUnitReport.escape("a\u{0}b\u{1B}c\u{1F}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        #expect(JUnitReport.escape("t\ta\nb\r\nc") == "t\ta\nb\r\nc")
        #expect(JUnitReport.escape("é 東京 🙂 \u{7F}") == "é 東京 🙂 \u{7F}")
        #expect(JUnitReport.escape("<a href='x'>&amp;</a>") == "&lt;a href=&apos;x&apos;&gt;&amp;amp;&lt;/a&gt;")
        var f = F.gap(.material)
        f.id = "id\u{8}with backspace"
        f.reason = "bell\u{7}"
        let xml = JUnitReport(F.report(findings: [f])).render()
        #expect(xml.contains("name=\"id\u{FFFD}with backspace\""))
        #expect(xml.contains("bell\u{FFFD}</system-out>"))
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && ![9, 10, 13].contains($0.value) })
    }
}
