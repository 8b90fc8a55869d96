@testable import Audit
@testable import Report
import Testing

/// `report.md`: the header, the answer, the tables (cells that cannot break the table) and the definitions.
@Suite struct MarkdownReportTests {
    typealias F = ReportFixture

    func report() -> AuditReport {
        F.report(findings: [F.gap(.material), F.finding(.equalOpportunityDifference, value: nil, verdict: .inconclusive),
                            F.finding(.demographicParityRatio, value: 0.4, verdict: .noMaterialGap)])
    }

    @Test func theHeaderStatesSubjectCampaignAndStatistics() {
        let md = MarkdownReport(report()).render()
        // The answer first, the statistics after it.
        #expect(md.hasPrefix("""
            # Fairground audit

            ## Answer

            **1 material finding** — loan by gender (1 finding) (1 material, 0 small, 1 none, 1 inconclusive among 3 \
            findings).

            - **loan**: f is targeted less than m — 0.4 times as often, 8.0% against 20.0%, 12.0 points fewer — a **material** gap by gender.


            """))
        #expect(md.contains("""
            ## About this audit

            Subject: model.fgm · 520 users · offers: loan · protected: gender (f, m)

            Campaign: top 10.0% of users per offer by score · lists: top-10 · 95.0% intervals · Holm over 2 tests at \
            α = 0.05 · groups below 30 users flagged


            """))
        var scores = report()
        scores.subject = ""
        #expect(MarkdownReport(scores).render().contains("Subject: scores · 520 users"))
    }

    /// Decision rules replace the target share in the campaign line; a model card without a holdout check is
    /// stated plainly; warnings come before the answer, the model card after it.
    @Test func rulesModelCardAndWarningsAreStatedBeforeTheAnswer() throws {
        var r = report()
        r.configuration.decisionRules = [OfferRule(offer: "loan", rule: .budget(50))]
        r.model = ModelCard(kind: "implicit ALS", parameters: [.init("factors", "8")])
        r.warnings = ["the baseline's seed differs"]
        let md = MarkdownReport(r).render()
        #expect(md.contains("\nCampaign: loan: top 50 users by score · lists: top-10"))
        #expect(md.contains("\nModel under audit: implicit ALS (factors 8); no holdout check was recorded for this model\n"))
        let warning = try #require(md.range(of: "**Warning:** the baseline's seed differs\n\n## Answer"))
        let model = try #require(md.range(of: "Model under audit"))
        #expect(warning.upperBound < model.lowerBound)
    }

    /// The policy's sentence is bold, right under the answer's sentences; the policy table comes first.
    @Test func thePolicyIsAnsweredFirst() throws {
        var r = report()
        r.policy = [F.outcome("gap", .violated, checks: [.init(finding: "x", status: .violated, message: "0.12 > 0.05")])]
        let md = MarkdownReport(r).render()
        #expect(md.contains("a **material** gap by gender.\n\n**The policy is violated with evidence: gap. The gate fails.**\n\n"))
        #expect(md.contains("## Policy\n\n| rule | status | detail |\n|---|---|---|\n| gap | violated | x: 0.12 > 0.05 |\n"))
    }

    /// Numeric columns are right-aligned; a "|" or a line break in a name stays inside its cell.
    @Test func cellsCannotBreakTheTable() {
        var f = F.gap(.noMaterialGap)
        f.attribute = "region|zone\nnorth"
        f.offer = "loan\r\nplus"
        let md = MarkdownReport(F.report(findings: [f])).render()
        #expect(md.contains("| offer | attribute | world | metric | convention | value | 95% CI | simultaneous CI | "
                            + "Holm p | test | judged on | verdict |\n|---|---|---|---|---|---:|---:|---:|---:|---|---|---|\n"))
        #expect(md.contains("| loan  plus | region\\|zone north |  | demographic_parity_difference | fairlearn | 0.12 | "
                            + "[0.11, 0.13] |  | 0.2 | Wald | ratio 0.4 [0.3, 0.5] vs 0.8–1.25 | none |\n"))
        for line in md.split(separator: "\n") where line.hasPrefix("| loan") {
            let separators = line.split(separator: "|", omittingEmptySubsequences: false).count - 1
                - line.components(separatedBy: "\\|").count + 1
            #expect(separators == (line.contains("demographic_parity_difference") ? 13 : 9), "\(line)")
        }
    }

    @Test func everyDefinitionIsListed() {
        let r = report()
        let md = MarkdownReport(r).render()
        let definitions = ReportTables(r).definitions
        #expect(md.hasSuffix("## Definitions\n\n" + definitions.map { "- " + $0 + "\n" }.joined() + "\n"))
    }
}
