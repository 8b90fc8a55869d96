@testable import Audit
@testable import Report
import Testing

/// The plain-language answers both reports open with: exact sentences for small hand-built reports.
@Suite struct AuditAnswersTests {
    typealias F = ReportFixture

    @Test func pointsHaveOneDecimalAndTwoSignificantDigitsBelowOnePoint() {
        #expect(AuditAnswers.points(0.123) == "12.3")
        #expect(AuditAnswers.points(0.08) == "8.0")
        #expect(AuditAnswers.points(1) == "100.0")
        #expect(AuditAnswers.points(0) == "0")
        #expect(AuditAnswers.points(-0.05) == "-5.0")
        #expect(AuditAnswers.points(0.004) == "0.4")
        #expect(AuditAnswers.points(0.00123) == "0.12")
        #expect(AuditAnswers.points(-0.00123) == "-0.12")
        #expect(AuditAnswers.points(0.0000123) == "0.0012")
        #expect(AuditAnswers.points(nil) == "undefined")
        #expect(AuditAnswers.percent(0.2) == "20.0%")
    }

    @Test func policySentenceNamesViolatedThenInconclusiveRules() {
        func sentence(_ outcomes: [RuleOutcome]?) -> String? {
            AuditAnswers(F.report(findings: [], policy: outcomes)).policy
        }
        #expect(sentence(nil) == nil)
        #expect(sentence([F.outcome("gap", .violated), F.outcome("odds", .inconclusive), F.outcome("ratio", .violated)])
                == "The policy is violated with evidence: gap, ratio. The gate fails.")
        #expect(sentence([F.outcome("gap", .passed), F.outcome("odds", .inconclusive)])
                == "The policy is not violated with evidence, but odds is inconclusive (a point estimate beyond its "
                + "bound). The gate passes.")
        #expect(sentence([F.outcome("a", .inconclusive), F.outcome("b", .inconclusive)])
                == "The policy is not violated with evidence, but a, b are inconclusive (a point estimate beyond its "
                + "bound). The gate passes.")
        #expect(sentence([F.outcome("a", .passed), F.outcome("b", .passed)])
                == "Every rule of the policy (2) holds. The gate passes.")
    }

    @Test func gapSentenceFollowsTheVerdict() {
        func sentences(_ f: Finding) -> [String] { AuditAnswers(F.report(findings: [f])).offers[0].sentences }
        #expect(sentences(F.gap(.noEvidence)) == [
            "**gender**: no evidence that any group is targeted less — the rates run from 8.0% (f) to 20.0% (m), a gap "
                + "of 12.0 points (95% interval 11.0–13.0 points); Wald test, Holm-adjusted p 0.2."])
        #expect(sentences(F.gap(.disparity, adjusted: 1e-20)) == [
            "**gender**: f is targeted less — 8.0% of them against 20.0% of m, a gap of 12.0 points (95% interval "
                + "11.0–13.0 points); Wald test, Holm-adjusted p < 1e-16: **a disparity**."])
        #expect(sentences(F.gap(.insufficientData, test: nil)) == [
            "**gender**: cannot tell — because <&> (gap 12.0 points, 95% interval 11.0–13.0 points)."])
        let undefined = F.finding(.demographicParityDifference, value: nil, verdict: .insufficientData,
                                  groups: [F.group("f", members: 0, selected: 0, nil)])
        #expect(sentences(undefined) == [
            "**gender**: the selection-rate gap is undefined — undefined: no truly interested users in f (0 of 12)."])
        // Only the charted metric speaks; a report without it has no sentence for the offer.
        #expect(sentences(F.finding(.demographicParityRatio, value: 0.4, verdict: .disparity)).isEmpty)
    }

    /// "are" for a group name ending in "s" (the plural-looking test the sentence uses), "is" otherwise.
    @Test func aGroupNamedInThePluralTakesAre() {
        var f = F.gap(.disparity)
        f.groups[0].group = "seniors"
        let sentence = AuditAnswers(F.report(findings: [f])).offers[0].sentences[0]
        #expect(sentence.hasPrefix("**gender**: seniors are targeted less — 8.0% of them"))
    }

    @Test func attributionAndTwinsFollowTheGap() {
        let r = F.report(findings: [F.gap(.disparity), F.finding(.counterfactualFlipRate, world: "do(gender=m)",
                                                                 value: 0.05, verdict: .disparity, test: .binomial)],
                         attribution: [F.attribution], counterfactuals: [F.world()])
        let sentences = AuditAnswers(r).offers[0].sentences
        #expect(sentences.count == 3)
        #expect(sentences.dropFirst().first?.hasPrefix(
            "Where it comes from: selecting by true interest would leave a gap of 2.0 points; the observed data widen "
                + "it by 3.0") == true)
        #expect(sentences.dropFirst().first?.hasSuffix("(95% interval 5.0 to 9.0) — mostly the model's.") == true)
        #expect(sentences.last == "Exact twins: 5.0% of the 260 users whose gender changes (do(gender=m)) are targeted "
                + "differently — 10 only as their twin, 3 only as themselves; treated differently (exact binomial "
                + "test: a disparity).")
        let none = F.report(findings: [F.gap(.noEvidence)], counterfactuals: [F.world(flipsUp: 0, flipsDown: 0)])
        #expect(AuditAnswers(none).offers[0].sentences.last
                == "Exact twins: none of the 260 users whose gender changes (do(gender=m)) is targeted differently.")
    }

    /// The data narrowing the gap is said so; the largest share names where the gap comes from.
    @Test func aNarrowingStepIsSaidSo() {
        var a = F.attribution
        a.truthGap = Estimate(value: 0.1)
        a.addedByData = Estimate(value: -0.02)
        a.addedByModel = Estimate(value: 0.04)
        let r = F.report(findings: [F.gap(.noEvidence)], attribution: [a])
        #expect(AuditAnswers(r).offers[0].sentences.last == "Where it comes from: selecting by true interest would "
                + "leave a gap of 10.0 points; the observed data narrow it by 2.0 and the model widens it by 4.0 — "
                + "mostly in the world: true interest differs.")
    }

    @Test
    func theModelTakesASingularVerb() {
        let r = F.report(findings: [F.gap(.disparity)], attribution: [F.attribution])
        #expect(AuditAnswers(r).offers[0].sentences[1].contains("and the model widens it by 7.0"))
    }
}
