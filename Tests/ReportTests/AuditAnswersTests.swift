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
                == "The policy is violated with evidence: gap, ratio. The gate fails. Inconclusive: odds.")
        #expect(sentence([F.outcome("gap", .passed), F.outcome("odds", .inconclusive)])
                == "The policy is not violated with evidence, but odds is inconclusive (a point estimate beyond its "
                + "bound, or a material gap not ruled out). The gate passes, with a warning.")
        #expect(sentence([F.outcome("a", .inconclusive), F.outcome("b", .inconclusive)])
                == "The policy is not violated with evidence, but a, b are inconclusive (a point estimate beyond its "
                + "bound, or a material gap not ruled out). The gate passes, with a warning.")
        var failing = F.report(findings: [], policy: [F.outcome("odds", .inconclusive)])
        failing.inconclusiveFails = true
        #expect(AuditAnswers(failing).policy?.hasSuffix("The gate fails (--inconclusive fail).") == true)
        #expect(sentence([F.outcome("a", .passed), F.outcome("b", .passed)])
                == "Every rule of the policy (2) holds. The gate passes.")
    }

    @Test func gapSentenceFollowsTheVerdict() {
        func sentences(_ f: Finding) -> [String] { AuditAnswers(F.report(findings: [f])).offers[0].sentences }
        #expect(sentences(F.gap(.noMaterialGap)) == [
            "**gender**: **no material gap** — the rates run from 8.0% (f) to 20.0% (m): a ratio of 0.4 (95% interval "
                + "0.3–0.5) and a gap of 12.0 points (95% interval 11.0–13.0), within the four-fifths band 0.8–1.25 "
                + "(Wald test, Holm-adjusted p 0.2)."])
        #expect(sentences(F.gap(.material, adjusted: 1e-20)) == [
            "**gender**: f is targeted less — 8.0% of them against 20.0% of m: a ratio of 0.4 (95% interval 0.3–0.5) "
                + "and a gap of 12.0 points (95% interval 11.0–13.0) — **material**, outside the four-fifths band "
                + "0.8–1.25 (Wald test, Holm-adjusted p < 1e-16)."])
        #expect(sentences(F.gap(.small, adjusted: 0.01)) == [
            "**gender**: f is targeted slightly less — 8.0% against 20.0% of m: a ratio of 0.4 (95% interval 0.3–0.5) "
                + "and a gap of 12.0 points (95% interval 11.0–13.0) — a real but **small** gap, within the "
                + "four-fifths band 0.8–1.25 (Wald test, Holm-adjusted p 0.01)."])
        #expect(sentences(F.gap(.inconclusive)) == [
            "**gender**: **inconclusive** — the rates run from 8.0% (f) to 20.0% (m): a ratio of 0.4 (95% interval "
                + "0.3–0.5) and a gap of 12.0 points (95% interval 11.0–13.0). No gap is shown, but the interval reaches "
                + "past the four-fifths band 0.8–1.25: a material gap is not ruled out (Wald test, Holm-adjusted p 0.2)."])
        #expect(sentences(F.gap(.inconclusive, test: nil, adjusted: nil)) == [
            "**gender**: cannot tell — because <&> (gap 12.0 points, 95% interval 11.0–13.0 points)."])
        let undefined = F.finding(.demographicParityDifference, value: nil, verdict: .inconclusive,
                                  groups: [F.group("f", members: 0, selected: 0, nil)])
        #expect(sentences(undefined) == [
            "**gender**: the selection-rate gap is undefined — undefined: no truly interested users in f (0 of 12)."])
        // Only the charted metric speaks; a report without it has no sentence for the offer.
        #expect(sentences(F.finding(.demographicParityRatio, value: 0.4, verdict: .material)).isEmpty)
    }

    /// "are" for a group name ending in "s" (the plural-looking test the sentence uses), "is" otherwise.
    @Test func aGroupNamedInThePluralTakesAre() {
        var f = F.gap(.material)
        f.groups[0].group = "seniors"
        let sentence = AuditAnswers(F.report(findings: [f])).offers[0].sentences[0]
        #expect(sentence.hasPrefix("**gender**: seniors are targeted less — 8.0% of them"))
    }

    @Test func attributionAndTwinsFollowTheGap() {
        let r = F.report(findings: [F.gap(.material), F.finding(.counterfactualFlipRate, world: "do(gender=m)",
                                                                 value: 0.05, verdict: .material, test: .binomial)],
                         attribution: [F.attribution], counterfactuals: [F.world()])
        let sentences = AuditAnswers(r).offers[0].sentences
        #expect(sentences.count == 3)
        let expected: String = "Where it comes from: true interest favours m by 2.0 points; the "
            + "observed data favour m by 5.0 points (the data widen the gap, moving it 3.0 points towards m); the "
            + "model's targeting favours m by 12.0 points — the model widens it, moving it 7.0 points towards m "
            + "(95% interval 5.0 to 9.0). The gap is mostly the model's."
        #expect(sentences.dropFirst().first == expected)
        #expect(sentences.last == "Exact twins: 5.0% of the 260 users whose gender changes (do(gender=m)) are targeted "
                + "differently — 10 only as their twin, 3 only as themselves; **material** (binomial test, threshold "
                + "1.0% of twins).")
        let none = F.report(findings: [F.gap(.noMaterialGap)], counterfactuals: [F.world(flipsUp: 0, flipsDown: 0)])
        #expect(AuditAnswers(none).offers[0].sentences.last
                == "Exact twins: none of the 260 users whose gender changes (do(gender=m)) is targeted differently.")
    }

    /// The walk-through-02 case the issue reported: true interest favours one group, the model the other. The
    /// model's step is said to reverse the gap, with its size towards the group it now favours.
    @Test func aModelThatReversesTheGapIsSaidToReverseIt() {
        var a = F.attribution
        a.orientation = ["f", "m"]
        a.truthGap = Estimate(value: -0.036)
        a.observedGap = Estimate(value: -0.037)
        a.modelGap = Estimate(value: 0.056)
        a.addedByData = Estimate(value: -0.001)
        a.addedByModel = Estimate(value: 0.093, lower: 0.08, upper: 0.106)
        // m is targeted less (8% against f's 20%), as the attribution's model stage says (f favoured).
        var gap = F.gap(.material)
        gap.groups = [F.group("f", members: 500, selected: 100, 0.2, 0.17, 0.24),
                      F.group("m", members: 500, selected: 40, 0.08, 0.06, 0.1)]
        let sentence = AuditAnswers(F.report(findings: [gap], attribution: [a])).offers[0].sentences[1]
        #expect(sentence == "Where it comes from: true interest favours m by 3.6 points; the observed data favour m by "
                + "3.7 points (the data widen the gap, moving it 0.1 points towards m); the model's targeting favours f "
                + "by 5.6 points — **the model reverses the gap**, moving it 9.3 points towards f (95% interval 8.0 to "
                + "10.6). The gap is mostly the model's.")
        let headline = AuditAnswers(F.report(findings: [gap], attribution: [a])).offers[0].headline
        let expected: String = "m is targeted less than f — 0.4 times as often, 8.0% against 20.0%, 12.0 points fewer — a **material** gap "
            + "by gender, mostly from the model (the model reverses the data's gap)."
        #expect(headline == expected)
    }

    /// With more than two groups each stage names the groups it favours most and least.
    @Test func moreThanTwoGroupsNameTheFavouredAndTheLeastFavoured() {
        var a = F.attribution
        a.orientation = nil
        a.leaning = [.init(stage: .truth, favoured: "b", leastFavoured: "c"),
                     .init(stage: .observed, favoured: "a", leastFavoured: "c"),
                     .init(stage: .model, favoured: "a", leastFavoured: "b")]
        let sentence = AuditAnswers(F.report(findings: [F.gap(.material)], attribution: [a])).offers[0].sentences[1]
        #expect(sentence == "Where it comes from (highest − lowest group rate at each stage): true interest favours b "
                + "over c by 2.0 points; the observed data favour a over c by 5.0 points; the model's targeting favours "
                + "a over b by 12.0 points — the model widens the spread by 7.0 points, 95% interval 5.0 to 9.0.")
    }

    /// The data narrowing the gap is said so; the largest share names where the gap comes from.
    @Test func aNarrowingStepIsSaidSo() {
        var a = F.attribution
        a.truthGap = Estimate(value: 0.07)
        a.observedGap = Estimate(value: 0.05)
        a.modelGap = Estimate(value: 0.09)
        a.addedByData = Estimate(value: -0.02)
        a.addedByModel = Estimate(value: 0.04)
        let r = F.report(findings: [F.gap(.noMaterialGap)], attribution: [a])
        #expect(AuditAnswers(r).offers[0].sentences.last == "Where it comes from: true interest favours m by 7.0 "
                + "points; the observed data favour m by 5.0 points (the data narrow the gap, moving it 2.0 points "
                + "towards f); the model's targeting favours m by 9.0 points — the model widens it, moving it 4.0 "
                + "points towards m. The gap is mostly in the world: true interest differs.")
    }

    /// "Mostly" credits only a stage that pushed the gap the way it ends up: here true interest favours f by 10
    /// points, the data add 8 towards m and the model 5 more, so the model's gap (3 points for m) is the data's.
    @Test func mostlyCreditsOnlyAStageInTheGapsDirection() {
        var a = F.attribution
        a.truthGap = Estimate(value: -0.10)
        a.observedGap = Estimate(value: -0.02)
        a.modelGap = Estimate(value: 0.03)
        a.addedByData = Estimate(value: 0.08)
        a.addedByModel = Estimate(value: 0.05)
        let sentence = AuditAnswers(F.report(findings: [F.gap(.material)], attribution: [a])).offers[0].sentences[1]
        #expect(sentence.hasSuffix("The gap is mostly the data's."), "\(sentence)")
        #expect(sentence.contains("**the model reverses the gap**"))
    }

    /// The answer leads: the overall count of verdicts, material findings grouped by where they are.
    @Test func theOverallSentenceCountsVerdictsAndNamesWhereTheMaterialGapsAre() {
        let none = F.report(findings: [F.gap(.noMaterialGap), F.finding(.demographicParityRatio, value: 0.9,
                                                                        verdict: .small)])
        #expect(AuditAnswers(none).overall
                == "No material gap was found (0 material, 1 small, 1 none, 0 inconclusive among 2 findings).")
        let some = F.report(findings: [F.gap(.material), F.finding(.demographicParityRatio, value: 0.4, verdict: .material),
                                       F.finding(.counterfactualFlipRate, offer: "card", world: "do(gender=m)",
                                                 value: 0.05, verdict: .material),
                                       F.finding(.ndcgDifference, value: 0.01, verdict: .inconclusive)])
        #expect(AuditAnswers(some).overall == "**3 material findings** — loan by gender (2 findings); card by gender "
                + "(1 finding) (3 material, 0 small, 0 none, 1 inconclusive among 4 findings).")
    }

    /// Offers with a material gap come first, and within an offer the material attributes lead.
    @Test func materialFindingsLead() {
        var age = F.gap(.material)
        age.attribute = "age"
        let gender = F.gap(.noMaterialGap)
        var card = F.gap(.small)
        card.offer = "card"
        let r = F.report(findings: [gender, age, card], offers: ["card", "loan"],
                         attributes: [.init(name: "gender", levels: ["f", "m"], privileged: nil),
                                      .init(name: "age", levels: ["young", "old"], privileged: nil)])
        let answers = AuditAnswers(r)
        #expect(answers.offers.map(\.offer) == ["loan", "card"])
        #expect(answers.offers[0].sentences.map { $0.prefix(8) } == ["**age**:", "**gender"])
        let expected: String = "f is targeted less than m — 0.4 times as often, 8.0% against 20.0%, 12.0 points fewer — "
            + "a **material** gap by age."
        #expect(answers.offers[0].headline == expected)
    }

    @Test
    func theModelTakesASingularVerb() {
        let r = F.report(findings: [F.gap(.material)], attribution: [F.attribution])
        #expect(AuditAnswers(r).offers[0].sentences[1].contains("the model widens it, moving it 7.0 points"))
    }
}
