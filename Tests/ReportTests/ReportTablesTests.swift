@testable import Audit
@testable import Report
import Testing

/// The tables and definitions both reports render: which tables, in which order, with which cells.
@Suite struct ReportTablesTests {
    typealias F = ReportFixture

    @Test func theLevelIsWholeWhenItCanBe() {
        var c = AuditConfiguration()
        #expect(ReportTables.level(c) == "95%")
        c.confidenceLevel = 0.9
        #expect(ReportTables.level(c) == "90%")
        c.confidenceLevel = 0.975
        #expect(ReportTables.level(c) == "97.5%")
    }

    /// Only what the report has gets a table: policy first, then each view, groups, attribution, worlds.
    @Test func tablesAppearInReportOrderAndOnlyWhenThereIsContent() {
        #expect(ReportTables(F.report(findings: [])).tables.isEmpty)
        let full = F.report(
            findings: [F.gap(.material), F.finding(.counterfactualFlipRate, world: "do(gender=m)", value: 0.05,
                                                    verdict: .noMaterialGap)],
            attribution: [F.attribution], counterfactuals: [F.world()], policy: [F.outcome("gap", .violated)])
        #expect(ReportTables(full).tables.map(\.title) == [
            "Policy", "Campaign view", "Counterfactual tests", "Selection rates by group",
            "Where the selection-rate gaps come from", "Counterfactual worlds"])
    }

    @Test func findingRowsShowEveryColumnAndMarkMissingOnes() throws {
        var gap = F.gap(.material, adjusted: 0.0123)
        gap.simultaneous = Estimate(value: 0.12, lower: 0.1, upper: 0.14)
        let undefined = F.finding(.equalOpportunityDifference, value: nil, verdict: .inconclusive)
        let table = try #require(ReportTables(F.report(findings: [gap, undefined])).tables.first)
        #expect(table.title == "Campaign view" && table.numeric == [5, 6, 7, 8])
        #expect(table.header == ["offer", "attribute", "world", "metric", "convention", "value", "95% CI",
                                 "simultaneous CI", "Holm p", "test", "judged on", "verdict"])
        #expect(table.rows == [
            ["loan", "gender", "", "demographic_parity_difference", "fairlearn", "0.12", "[0.11, 0.13]",
             "[0.1, 0.14]", "0.0123", "Wald", "ratio 0.4 [0.3, 0.5] vs 0.8–1.25", "material"],
            ["loan", "gender", "", "equal_opportunity_difference", "fairlearn", "undefined", "", "", "—", "—", "—",
             "inconclusive"],
        ])
    }

    @Test func groupRowsCountMembersAndSelectedAndFlagSmallGroups() throws {
        let tables = ReportTables(F.report(findings: [F.gap(.noMaterialGap)])).tables
        let groups = try #require(tables.first { $0.title == "Selection rates by group" })
        #expect(groups.rows == [["loan", "gender", "f", "500", "40", "0.08", "[0.06, 0.1]", ""],
                                ["loan", "gender", "m", "20", "4", "0.2", "[0.05, 0.4]", "small group"]])
    }

    /// The policy table shows the first check with the rule's status (a finding's id before its message).
    @Test func policyRowsShowTheDecisiveCheck() throws {
        let outcomes = [
            F.outcome("gap", .violated, checks: [.init(finding: "a", status: .passed, message: "holds"),
                                                 .init(finding: "b", status: .violated, message: "0.2 > 0.05")]),
            F.outcome("empty", .inconclusive, checks: [.init(finding: "", status: .inconclusive, message: "no finding")]),
            F.outcome("none", .passed),
        ]
        let table = try #require(ReportTables(F.report(findings: [], policy: outcomes)).tables.first)
        #expect(table.rows == [["gap", "violated", "b: 0.2 > 0.05"], ["empty", "inconclusive", "no finding"],
                               ["none", "passed", ""]])
    }

    @Test func attributionAndWorldRowsShowValuesWithIntervals() throws {
        let r = F.report(findings: [], attribution: [F.attribution],
                         counterfactuals: [F.world(), F.world(quantiles: [])])
        let tables = ReportTables(r).tables
        let attribution = try #require(tables.first)
        #expect(attribution.intro.hasPrefix("Top 10.0% selected by true interest"))
        #expect(attribution.rows == [["loan", "gender", "m − f", "0.02 [0.01, 0.03]", "0.05 [0.04, 0.06]", "0.12 [0.1, 0.14]",
                                      "0.03 [0.02, 0.04]", "0.07 [0.05, 0.09]"]])
        let worlds = try #require(tables.last)
        #expect(worlds.rows == [
            ["do(gender=m)", "260", "loan", "0.05 (10)", "0.01 (3)", "—", "0.01 [0.004, 0.016]", "-0.02 … 0.03", "—"],
            ["do(gender=m)", "260", "loan", "0.05 (10)", "0.01 (3)", "—", "0.01 [0.004, 0.016]", "—", "—"],
        ])
    }

    @Test func definitionsNameTheConfigurationAndThePrivacyViewOnlyWhenThereIsOne() {
        var r = F.report(findings: [])
        let plain = ReportTables(r).definitions
        #expect(plain.count == 7)
        #expect(plain[0].hasPrefix("Verdicts: material — the test rejects"))
        #expect(plain.contains { $0.contains("Holm-adjusted across the whole audit (2 tests, α = 0.05)") })
        #expect(plain.contains { $0.contains("(200 replicates, seed 0)") })
        #expect(!plain.contains { $0.hasPrefix("Privacy view") })
        r.privacy = PrivacySummary(consentAttribute: nil, optedOut: nil, optedOutServing: "not applicable",
                                   probedUsers: 520, sensitiveCategories: [], groups: [], optOutBias: [], warnings: [])
        #expect(ReportTables(r).definitions.count == 8)
        r.configuration.materiality = [.init(metric: .inferenceAUC, threshold: 0.7)]
        #expect(ReportTables(r).definitions[0].hasSuffix("This audit's own: inference_auc 0.7."))
    }
}
