import Audit
import Pipeline
@testable import Report
import Testing

/// What the report writers render from an audit report (built by hand here, so each case is known).
@Suite struct ReportRenderingTests {
    func finding(_ metric: MetricID, value: Double?, verdict: Verdict, groups: [GroupValue] = []) -> Finding {
        Finding(id: "campaign/loan/gender/\(metric)", view: .campaign, offer: "loan", attribute: "gender", world: nil,
                metric: metric, convention: metric.descriptor.convention,
                estimate: Estimate(value: value, lower: value.map { $0 - 0.01 }, upper: value.map { $0 + 0.01 }),
                undefinedReason: value == nil ? "undefined: no truly interested users in f (0 of 12)" : nil,
                pValue: nil, holmPValue: nil, verdict: verdict, reason: "because <&>", groups: groups)
    }

    func report(policy: [RuleOutcome]? = nil) -> AuditReport {
        let groups = [
            GroupValue(group: "f", members: 500, numerator: 40, denominator: 500,
                       estimate: Estimate(value: 0.08, lower: 0.06, upper: 0.1), small: false),
            GroupValue(group: "m", members: 20, numerator: 4, denominator: 20,
                       estimate: Estimate(value: 0.2, lower: 0.05, upper: 0.4), small: true),
        ]
        var report = AuditReport(
            configuration: AuditConfiguration(), subject: "model.fgm", users: 520, offers: ["loan"],
            attributes: [.init(name: "gender", levels: ["f", "m"], privileged: nil)], tests: 2,
            findings: [
                finding(.demographicParityDifference, value: 0.12, verdict: .material, groups: groups),
                finding(.equalOpportunityDifference, value: nil, verdict: .inconclusive),
                finding(.demographicParityRatio, value: 0.4, verdict: .noMaterialGap),
            ],
            attribution: [], counterfactuals: [])
        report.policy = policy
        return report
    }

    /// Without a policy every finding is an informational test case (the exit code is 0, so nothing fails), and
    /// text is escaped for XML.
    @Test func junitCountsFindingsWithoutAPolicy() {
        let xml = JUnitReport(report()).render()
        #expect(xml.contains("tests=\"3\" failures=\"0\" skipped=\"0\""))
        #expect(xml.contains("because &lt;&amp;&gt;"))
        #expect(!xml.contains("because <&>"))
    }

    /// With a policy the rules are the test cases: violated fails, inconclusive passes with a warning.
    @Test func junitCountsRulesWithAPolicy() throws {
        let policy = try Policy.parse("""
            version: 1
            rules:
              - {name: gap, metric: demographic_parity_difference, at_most: 0.05}
              - {name: four-fifths, metric: demographic_parity_ratio, at_least: 0.8}
              - {name: opportunity, metric: equal_opportunity_difference, at_most: 0.1}
            """, file: "p.yaml")
        let outcomes = try policy.evaluate(report())
        #expect(outcomes.map(\.status) == [.violated, .violated, .inconclusive])
        let xml = JUnitReport(report(policy: outcomes)).render()
        #expect(xml.contains("name=\"fairground.policy\" tests=\"3\" failures=\"2\" skipped=\"0\""))
        #expect(xml.contains("<system-out>warning: inconclusive: "))
    }

    /// An undefined value reads "undefined", never 0; the group table lists the charted metric's groups with
    /// small groups flagged.
    @Test func markdownSaysUndefinedAndFlagsSmallGroups() {
        let md = MarkdownReport(report()).render()
        #expect(md.contains("| equal_opportunity_difference | fairlearn | undefined |"))
        #expect(md.contains("| loan | gender | m | 20 | 4 |"))
        #expect(md.contains("small group"))
    }

    /// The HTML report is self-contained and charts the charted metric's groups with labelled axes.
    @Test func htmlChartsTheChartedMetric() {
        let html = HTMLReport(report()).render()
        #expect(html.contains("<svg"))
        #expect(html.contains("gender: f") && html.contains("gender: m"))
        #expect(!html.contains("<script src") && !html.contains("<link"))
    }

    /// Both reports open with the answer; the HTML holds every table and definition the Markdown does.
    @Test func bothReportsAnswerFirstAndShowTheSameTables() throws {
        let r = report()
        let md = MarkdownReport(r).render(), html = HTMLReport(r).render()
        let answer = try #require(md.range(of: "## Answer")), firstTable = try #require(md.range(of: "## Campaign view"))
        #expect(answer.lowerBound < firstTable.lowerBound)
        #expect(md.contains("**gender**: f is targeted less — 8.0% of them against 20.0% of m: a gap of 12.0 points (95% interval 11.0–13.0) — **material**"))
        // The answer's first line is the overall verdict, before any test's name.
        let overall = try #require(md.range(of: "**1 material finding** — loan by gender (1 finding)"))
        #expect(md.range(of: "Wald")!.lowerBound > overall.lowerBound && md.range(of: "Holm")!.lowerBound > overall.lowerBound)
        #expect(html.contains("<h2>Answer</h2>") && html.contains("<strong>gender</strong>: f is targeted less"))
        let content = ReportTables(r)
        #expect(!content.tables.isEmpty)
        for table in content.tables where table.title != "Policy" {
            #expect(md.contains("## \(table.title)") && html.contains("<h2>\(table.title)</h2>"), "\(table.title)")
            for row in table.rows {
                for cell in row where !cell.isEmpty {
                    #expect(html.contains(HTMLReport.escape(cell)), "\(table.title): \(cell)")
                }
            }
        }
        for definition in content.definitions { #expect(html.contains(HTMLReport.escape(definition))) }
    }

    /// Charts of one metric share an axis with ticks and a label, reference lines name the target share and the
    /// four-fifths rule, and whiskers are labelled as 95% intervals.
    @Test func chartsShareALabelledAxisWithReferenceLines() {
        var r = report()
        r.offers = ["loan", "card"]
        var second = r.findings[0]
        second.offer = "card"
        second.id = "campaign/card/gender/demographic_parity_difference"
        second.groups = second.groups.map { var g = $0; g.estimate = Estimate(value: 0.006, lower: 0.004, upper: 0.008); return g }
        r.findings.append(second)
        let html = HTMLReport(r).render()
        #expect(html.contains("selection rate: share of the group targeted"))
        #expect(html.contains("target 10.0%") && html.contains("four-fifths (0.8)"))
        #expect(html.contains("Whiskers: 95% confidence intervals"))
        // One axis for both offers: the same ticks in both charts, up to the larger offer's interval end (40%).
        let ticks = html.components(separatedBy: ">40.0%</text>").count - 1
        #expect(ticks == 2, "\(ticks) charts end at 40%")
        #expect(HTMLReport.Axis.step(0.4) == 0.1 && HTMLReport.Axis.step(0.012) == 0.002)
    }
}

@Suite struct PValueTextTests {
    /// Reproduces the issue: p-values printed as `0` or `3.9e-319`.
    @Test func tinyPValuesReadAsBelowTheResolvableTail() {
        #expect(FindingText.pValue(0) == "< 1e-16")
        #expect(FindingText.pValue(Double.leastNonzeroMagnitude * 1e4) == "< 1e-16")  // a subnormal, like 3.9e-319
        #expect(FindingText.pValue(2.5e-9) == FindingText.value(2.5e-9))
        #expect(FindingText.pValue(0.0412) == "0.0412")
        #expect(FindingText.pValue(nil) == "—")
    }
}
