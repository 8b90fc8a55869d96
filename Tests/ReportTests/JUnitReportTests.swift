@testable import Audit
@testable import Report
import Testing

/// `junit.xml`: the exact document for small reports, with and without a policy, warnings as skipped cases, and
/// text XML 1.0 can hold.
@Suite struct JUnitReportTests {
    typealias F = ReportFixture

    @Test func findingsAreTestCasesWithoutAPolicy() {
        var r = F.report(findings: [F.finding(.demographicParityRatio, value: 0.9, verdict: .noEvidence),
                                    F.gap(.disparity),
                                    F.finding(.equalOpportunityDifference, value: 0.3, verdict: .insufficientData,
                                              reason: "too few")])
        r.warnings = ["baseline \"b\" differs"]
        #expect(JUnitReport(r).render() == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="fairground audit" tests="4" failures="1" skipped="2">
              <testsuite name="fairground.findings" tests="4" failures="1" skipped="2" errors="0">
                <testcase classname="fairground.findings" name="campaign/loan/gender/demographic_parity_ratio"/>
                <testcase classname="fairground.findings" name="campaign/loan/gender/demographic_parity_difference">
                  <failure message="disparity">demographic_parity_difference = 0.12 [0.11, 0.13]; because &lt;&amp;&gt;</failure>
                </testcase>
                <testcase classname="fairground.findings" name="campaign/loan/gender/equal_opportunity_difference">
                  <skipped message="insufficient data">equal_opportunity_difference = 0.3 [0.29, 0.31]; too few</skipped>
                </testcase>
                <testcase classname="fairground.findings" name="warning">
                  <skipped message="warning">baseline &quot;b&quot; differs</skipped>
                </testcase>
              </testsuite>
            </testsuites>

            """)
    }

    /// With a policy, the rules are the cases; a case's detail lists the checks that gave the rule its status.
    @Test func rulesAreTestCasesWithAPolicy() {
        let policy = [
            F.outcome("gap <= 5%", .violated, checks: [.init(finding: "a", status: .violated, message: "0.12 > 0.05"),
                                                       .init(finding: "b", status: .passed, message: "0.01"),
                                                       .init(finding: "c", status: .violated, message: "0.2 > 0.05")]),
            F.outcome("ratio", .passed, checks: [.init(finding: "d", status: .passed, message: "fine")]),
            F.outcome("odds", .inconclusive, checks: [.init(finding: "", status: .inconclusive, message: "nothing matched")]),
        ]
        let xml = JUnitReport(F.report(findings: [F.gap(.disparity)], policy: policy)).render()
        #expect(xml.contains("<testsuites name=\"fairground audit\" tests=\"3\" failures=\"1\" skipped=\"1\">"))
        #expect(xml.contains("""
                <testcase classname="fairground.policy" name="gap &lt;= 5%">
                  <failure message="violated with evidence">a: 0.12 &gt; 0.05
            c: 0.2 &gt; 0.05</failure>
                </testcase>
                <testcase classname="fairground.policy" name="ratio"/>
                <testcase classname="fairground.policy" name="odds">
                  <skipped message="inconclusive">nothing matched</skipped>
                </testcase>
            """))
        #expect(!xml.contains("fairground.findings"))
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
        var f = F.gap(.disparity)
        f.id = "id\u{8}with backspace"
        f.reason = "bell\u{7}"
        let xml = JUnitReport(F.report(findings: [f])).render()
        #expect(xml.contains("name=\"id\u{FFFD}with backspace\""))
        #expect(xml.contains("bell\u{FFFD}</failure>"))
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && ![9, 10, 13].contains($0.value) })
    }
}
