@testable import Audit
import FileSupport
@testable import Report
import Testing

/// Signed attribution and materiality verdicts (issue 24, points 1 and 2): each stage's gap has its direction,
/// checked against a direct count; every finding is material, small, none or inconclusive by its threshold.
@Suite struct VerdictTests {
    /// 6,000 users in two groups, `a` and `b` alternating. Scores are a permutation within each group, so the top
    /// 10% by a column is decided by how the column ranks one group above the other.
    static func world(truthFavours truth: Int, observedFavours observed: Int, modelFavours model: Int,
                      strength: Float = 0.25) -> AuditData {
        let n = 6_000
        let group = Grouping(name: "g", levels: ["a", "b"], membership: (0..<n).map { Int32($0 % 2) })
        func column(favouring favoured: Int, seed: Int) -> [Float] {
            (0..<n).map { u in
                let base = Float((u * 7_919 + seed * 104_729) % n) / Float(n)
                return base + (u % 2 == favoured ? strength : 0)
            }
        }
        var data = AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["offer"],
                             scores: column(favouring: model, seed: 1))
        data.truth = column(favouring: truth, seed: 2)
        data.observed = column(favouring: observed, seed: 3)
        return data
    }

    /// The share of each group in the top `share` of users by `column` — the direct count the attribution must
    /// reproduce (ties cannot occur: the values are distinct).
    static func topShares(_ column: [Float], share: Double = 0.1) -> [Double] {
        let n = column.count, k = Int((Double(n) * share).rounded())
        let top = Set(column.indices.sorted { column[$0] > column[$1] }.prefix(k))
        return (0..<2).map { g in
            Double(top.filter { $0 % 2 == g }.count) / Double((0..<n).filter { $0 % 2 == g }.count)
        }
    }

    /// A world where true interest and the data favour `a` and the model favours `b`: the gaps are oriented by the
    /// model's favourite (b − a), each stage's sign and size equal a direct count, and the model's step is said
    /// to reverse the gap.
    @Test func theModelReversingTheDataIsSignedAndSaid() throws {
        let data = Self.world(truthFavours: 0, observedFavours: 0, modelFavours: 1)
        let report = try FairnessAudit.run(data, configuration: AuditConfiguration()).report
        let a = try #require(report.attribution.first)
        #expect(a.orientation == ["b", "a"])
        let truth = Self.topShares(data.truth!), observed = Self.topShares(data.observed!)
        let model = Self.topShares(data.scores)
        #expect(abs(a.truthGap.value! - (truth[1] - truth[0])) < 1e-12)
        #expect(abs(a.observedGap.value! - (observed[1] - observed[0])) < 1e-12)
        #expect(abs(a.modelGap.value! - (model[1] - model[0])) < 1e-12)
        #expect(a.truthGap.value! < -0.05 && a.observedGap.value! < -0.05 && a.modelGap.value! > 0.05)
        #expect(abs(a.addedByModel.value! - (a.modelGap.value! - a.observedGap.value!)) < 1e-12)
        #expect(abs(a.addedByData.value! - (a.observedGap.value! - a.truthGap.value!)) < 1e-12)
        #expect(a.leaning.map(\.favoured) == ["a", "a", "b"] && a.leaning.map(\.leastFavoured) == ["b", "b", "a"])
        // Every signed interval contains its estimate.
        for e in [a.truthGap, a.observedGap, a.modelGap, a.addedByData, a.addedByModel] {
            #expect(e.lower! <= e.value! && e.value! <= e.upper!)
        }
        let markdown = MarkdownReport(report).render()
        #expect(markdown.contains("the model's targeting favours b by"))
        #expect(markdown.contains("**the model reverses the gap**, moving it"))
        #expect(markdown.contains("true interest favours a by"))
    }

    /// When every stage favours the same group the gaps are positive and no stage reverses anything.
    @Test func aGapEveryStageWidensIsPositiveThroughout() throws {
        let data = Self.world(truthFavours: 0, observedFavours: 0, modelFavours: 0)
        let a = try #require(try FairnessAudit.run(data, configuration: AuditConfiguration()).report.attribution.first)
        #expect(a.orientation == ["a", "b"])
        #expect(a.truthGap.value! > 0 && a.observedGap.value! > 0 && a.modelGap.value! > 0)
    }

    /// More than two groups: spreads, and each stage names its most and least favoured group.
    @Test func threeGroupsNameTheFavouredAndLeastFavouredAtEachStage() throws {
        let n = 6_000
        let group = Grouping(name: "g", levels: ["a", "b", "c"], membership: (0..<n).map { Int32($0 % 3) })
        func column(_ boost: [Float], seed: Int) -> [Float] {
            (0..<n).map { u in Float((u * 7_919 + seed * 104_729) % n) / Float(n) + boost[u % 3] }
        }
        var data = AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["offer"],
                             scores: column([0, 0.3, 0.15], seed: 1))
        data.truth = column([0.3, 0.15, 0], seed: 2)
        data.observed = column([0.3, 0, 0.15], seed: 3)
        let a = try #require(try FairnessAudit.run(data, configuration: AuditConfiguration()).report.attribution.first)
        #expect(a.orientation == nil)
        #expect(a.leaning.map(\.favoured) == ["a", "a", "b"])
        #expect(a.leaning.map(\.leastFavoured) == ["c", "b", "a"])
        #expect(a.truthGap.value! > 0 && a.modelGap.value! > 0)
    }

    // MARK: - Materiality

    /// The four verdicts from a test's outcome and an interval on the threshold's scale.
    @Test func theFourVerdicts() {
        let ratio = Materiality.fourFifths
        #expect(ratio.band == 0.8...1.25)
        #expect(ratio.verdict(rejected: true, estimate: Estimate(value: 0.6, lower: 0.5, upper: 0.7)) == .material)
        #expect(ratio.verdict(rejected: true, estimate: Estimate(value: 0.9, lower: 0.85, upper: 0.95)) == .small)
        #expect(ratio.verdict(rejected: false, estimate: Estimate(value: 0.95, lower: 0.85, upper: 1.0)) == .noMaterialGap)
        #expect(ratio.verdict(rejected: false, estimate: Estimate(value: 0.95, lower: 0.7, upper: 1.0)) == .inconclusive)
        #expect(ratio.verdict(rejected: nil, estimate: Estimate(value: 0.95, lower: 0.9, upper: 1.0)) == .inconclusive)
        #expect(ratio.verdict(rejected: false, estimate: Estimate(value: 0.95)) == .inconclusive)
        // A directional ratio above the band is material too.
        #expect(ratio.verdict(rejected: true, estimate: Estimate(value: 1.4, lower: 1.3, upper: 1.5)) == .material)
        // A rejection whose ratio is undefined (one side never selected) is material.
        #expect(ratio.verdict(rejected: true, estimate: Estimate(value: nil)) == .material)
        let flips = Materiality.difference(0.02)
        #expect(flips.verdict(rejected: true, estimate: Estimate(value: 0.0036, lower: 0.002, upper: 0.005)) == .small)
        #expect(flips.verdict(rejected: false, estimate: Estimate(value: -0.01, lower: -0.03, upper: 0.01)) == .inconclusive)
        let auc = Materiality(scale: .auc, threshold: 0.6)
        #expect(auc.verdict(rejected: true, estimate: Estimate(value: 0.529, lower: 0.51, upper: 0.55)) == .small)
        #expect(auc.verdict(rejected: true, estimate: Estimate(value: 0.871, lower: 0.85, upper: 0.89)) == .material)
    }

    /// The band's edges: an interval touching the band from inside is "none"; "none" on the difference and AUC
    /// scales; the equivalence interval, when given, decides "none" rather than the estimate's.
    @Test func edgesAndScalesOfTheEquivalenceVerdict() {
        let ratio = Materiality.fourFifths
        #expect(ratio.verdict(rejected: false, estimate: Estimate(value: 0.9, lower: 0.8, upper: 1.25)) == .noMaterialGap)
        #expect(ratio.verdict(rejected: false, estimate: Estimate(value: 0.9, lower: 0.7999, upper: 1.0)) == .inconclusive)
        #expect(ratio.verdict(rejected: false, estimate: Estimate(value: 0.9, lower: 0.85, upper: 1.0),
                              equivalence: Estimate(value: 0.9, lower: 0.79, upper: 1.02)) == .inconclusive)
        let gap = Materiality.difference(0.05)
        #expect(gap.verdict(rejected: false, estimate: Estimate(value: 0.01, lower: -0.03, upper: 0.04)) == .noMaterialGap)
        #expect(gap.verdict(rejected: false, estimate: Estimate(value: 0.01, lower: -0.06, upper: 0.04)) == .inconclusive)
        let auc = Materiality(scale: .auc, threshold: 0.6)
        #expect(auc.verdict(rejected: false, estimate: Estimate(value: 0.52, lower: 0.45, upper: 0.59)) == .noMaterialGap)
        #expect(auc.verdict(rejected: false, estimate: Estimate(value: 0.52, lower: 0.45, upper: 0.61)) == .inconclusive)
        // The equivalence level: the confidence level, or 1 − 2α when higher (two one-sided tests at α).
        #expect(Materiality.equivalenceLevel(confidence: 0.95, alpha: 0.05) == 0.95)
        #expect(abs(Materiality.equivalenceLevel(confidence: 0.95, alpha: 0.01) - 0.98) < 1e-12)
        // Policy evidence: an interval wholly outside the band.
        #expect(ratio.excludes(Estimate(value: 0.5, lower: 0.4, upper: 0.79)))
        #expect(!ratio.excludes(Estimate(value: 0.5, lower: 0.4, upper: 0.8)))
        #expect(ratio.excludes(Estimate(value: 1.5, lower: 1.3, upper: 1.7)))
    }

    /// With α below (1 − confidence) / 2, "none" rests on a wider interval than the reported one.
    @Test func noneRestsOnTheEquivalenceInterval() throws {
        let data = Self.world(truthFavours: 0, observedFavours: 0, modelFavours: 0, strength: 0)
        var configuration = AuditConfiguration()
        configuration.alpha = 0.005
        let f = try #require(try FairnessAudit.run(data, configuration: configuration).report.findings
            .first { $0.metric == .demographicParityRatio })
        let check = try #require(f.materiality)
        let equivalence = try #require(check.equivalence), estimate = check.estimate
        #expect(equivalence.lower! <= estimate.lower! && equivalence.upper! >= estimate.upper!)
        #expect(equivalence.lower! < estimate.lower! - 1e-9)
        let simultaneous = try #require(check.simultaneous)
        #expect(simultaneous.lower! <= estimate.lower!)
    }

    /// A rate difference is judged on its rate ratio; the report says which and carries the ratio's interval.
    @Test func rateDifferencesAreJudgedOnTheirRatio() throws {
        let data = Self.world(truthFavours: 0, observedFavours: 0, modelFavours: 1, strength: 0.05)
        let report = try FairnessAudit.run(data, configuration: AuditConfiguration()).report
        let difference = try #require(report.findings.first { $0.metric == .demographicParityDifference })
        let ratio = try #require(report.findings.first { $0.metric == .demographicParityRatio })
        let check = try #require(difference.materiality)
        #expect(check.scale == .rateRatio && check.band == [0.8, 1.25])
        #expect(check.estimate == ratio.estimate)
        // The difference's direction is in the finding: the model favours b.
        #expect(difference.favoured == "b" && difference.leastFavoured == "a")
        #expect(difference.verdict == ratio.verdict)
        let rates = difference.groups.compactMap(\.estimate.value)
        #expect(abs(check.estimate.value! - rates.min()! / rates.max()!) < 1e-12)
        #expect(difference.reason.hasSuffix(check.because))
    }

    /// `--material`: a run's own threshold replaces the default, for that metric only; thresholds a scale cannot
    /// use are refused.
    @Test func aRunsOwnThresholdChangesTheVerdict() throws {
        let data = Self.world(truthFavours: 0, observedFavours: 0, modelFavours: 1, strength: 0.05)
        let plain = try FairnessAudit.run(data, configuration: AuditConfiguration()).report
        let before = try #require(plain.findings.first { $0.metric == .demographicParityDifference })
        let ratio = try #require(before.materiality?.estimate.value)
        var configuration = AuditConfiguration()
        // A band just inside the measured ratio, or just beyond it, flips material and small.
        configuration.materiality = [.init(metric: .demographicParityDifference,
                                           threshold: before.verdict == .material ? ratio * 0.9 : min(0.99, ratio * 1.1))]
        let after = try #require(try FairnessAudit.run(data, configuration: configuration).report.findings
            .first { $0.metric == .demographicParityDifference })
        #expect(before.rejects(alpha: 0.05) == true)
        #expect(after.verdict == (before.verdict == .material ? .small : .material))
        #expect(try FairnessAudit.run(data, configuration: configuration).report.findings
            .first { $0.metric == .demographicParityRatio }?.verdict == before.verdict)
        for bad in [0.0, 1.0, 1.5, -0.1] {
            configuration.materiality = [.init(metric: .demographicParityRatio, threshold: bad)]
            #expect(throws: FairgroundError.self) { try configuration.validate() }
        }
        configuration.materiality = [.init(metric: .inferenceAUC, threshold: 0.4)]
        #expect(throws: FairgroundError.self) { try configuration.validate() }
        configuration.materiality = [.init(metric: .ndcgDifference, threshold: 0.1),
                                     .init(metric: .ndcgDifference, threshold: 0.2)]
        #expect(throws: FairgroundError.self) { try configuration.validate() }
    }

    /// A group below the minimum size, left out of the test, cannot make a gap material: the ratio is over the
    /// groups the test compares.
    @Test func aGroupLeftOutOfTheTestDoesNotDecideMateriality() throws {
        let n = 6_000
        // Three levels: a and b alike; c has 10 users, none of them selected.
        let membership = (0..<n).map { Int32($0 < 10 ? 2 : $0 % 2) }
        let group = Grouping(name: "g", levels: ["a", "b", "c"], membership: membership)
        let scores = (0..<n).map { u in u < 10 ? Float(0) : Float((u * 7_919) % n) / Float(n) }
        let data = AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["offer"], scores: scores)
        let report = try FairnessAudit.run(data, configuration: AuditConfiguration()).report
        let f = try #require(report.findings.first { $0.metric == .demographicParityRatio })
        #expect(f.estimate.value == 0)  // the reported ratio includes c, as Fairlearn's would
        #expect(f.materiality!.estimate.value! > 0.8, "\(f.materiality!)")
        #expect(f.verdict != .material, "\(f.reason)")
    }

    /// Judging again replaces the verdict and the sentence it ended the reason with.
    @Test func judgingAgainReplacesTheSentence() throws {
        let data = Self.world(truthFavours: 0, observedFavours: 0, modelFavours: 1, strength: 0.05)
        var f = try #require(try FairnessAudit.run(data, configuration: AuditConfiguration()).report.findings
            .first { $0.metric == .demographicParityDifference })
        let reason = f.reason, sentence = f.materiality!.because
        f.judge(by: Materiality(scale: .rateRatio, threshold: 0.01), alpha: 0.05)
        #expect(f.verdict == .small)
        #expect(f.reason == String(reason.dropLast(sentence.count)) + f.materiality!.because)
        #expect(f.materiality?.threshold == 0.01)
    }
}
