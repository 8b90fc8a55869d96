import Audit
import AuditSubjects
import FileSupport
import Pipeline
import Testing

/// The membership attack in the audit's privacy view: its evidence adds exactly two findings (the AUC test in the
/// Holm family, the ε bound outside it) and changes nothing else but the family's size; a policy bounds
/// `membership_auc` like any AUC and `empirical_epsilon` by its lower bound, and refuses rules the run cannot serve.
@Suite("Membership evidence")
struct MembershipEvidenceTests {
    /// Evidence of an attack with AUC `area` (standard error 0.02) and ε bound `epsilon`.
    static func evidence(area: Double, pValue: Double, epsilon: Double, promised: Double? = nil) -> MembershipEvidence {
        MembershipEvidence(
            nonMembers: "fresh", variant: "factors", seed: 0, sampled: 300, eligibleMembers: 300,
            eligibleNonMembers: 310, area: area, standardError: 0.02, pValue: pValue, epsilon: epsilon, delta: 1e-5,
            deltaSource: "default", level: 0.95, evaluationMembers: 150, evaluationNonMembers: 150,
            truePositives: 90, falsePositives: 20, truePositiveRateLower: 0.5, falsePositiveRateUpper: 0.2,
            promisedEpsilon: promised, promisedDelta: promised.map { _ in 1e-6 })
    }

    /// A small audit's data, without and with the attack's evidence.
    func data(_ name: String) throws -> AuditData {
        let directory = temporaryDirectory("membership-evidence-\(name)")
        let model = try worldAndModel(try dataset("credit-offers", users: 800), seed: 5, directory: directory)
        var audit = try ModelAudit(directory: directory, model: model)
        audit.naive = false
        return try audit.data(threads: 2)
    }

    @Test func theAttackAddsTwoFindingsAndOneTest() throws {
        let plain = try data("plain")
        #expect(plain.privacy == nil)
        var attacked = plain
        attacked.privacy = PrivacyData(consent: nil)
        attacked.privacy!.membership = Self.evidence(area: 0.8, pValue: 1e-30, epsilon: 1.4)
        let a = try FairnessAudit.run(plain, configuration: quickConfiguration(), threads: 2).report
        let b = try FairnessAudit.run(attacked, configuration: quickConfiguration(), threads: 2).report
        #expect(b.tests == a.tests + 1)
        let added = b.findings.filter { f in !a.findings.contains { $0.id == f.id } }
        #expect(added.map(\.id) == ["privacy/membership/membership_auc/factors",
                                    "privacy/membership/empirical_epsilon/factors"])
        // Every other finding is the same but for its Holm-adjusted p-value, simultaneous interval and reason.
        for f in a.findings {
            let g = try #require(b.findings.first { $0.id == f.id })
            #expect(g.estimate == f.estimate && g.pValue == f.pValue && g.groups == f.groups, "\(f.id)")
            if let p = f.holmPValue { #expect(g.holmPValue! >= p, "\(f.id)") }
        }
        let auc = added[0], epsilon = added[1]
        #expect(auc.test == .deLong && auc.verdict == .material && auc.holmPValue != nil)
        #expect(auc.reason.hasPrefix("the attack tells members from non-members"), "\(auc.reason)")
        #expect(auc.estimate.lower! > 0.7 && auc.estimate.upper! < 0.9)
        #expect(epsilon.estimate == Estimate(value: 1.4, lower: 1.4, upper: nil))
        #expect(epsilon.pValue == nil && epsilon.holmPValue == nil && epsilon.simultaneous == nil)
        #expect(epsilon.test == .clopperPearson && epsilon.verdict == .material, "\(epsilon.reason)")
        #expect(b.privacy?.membership == attacked.privacy!.membership)
        #expect(b.privacy?.groups.isEmpty == true && b.privacy?.optOutBias.isEmpty == true)
        #expect(String(decoding: try b.jsonBytes(), as: UTF8.self).contains("\"membership\" : {"))
        #expect(!String(decoding: try a.jsonBytes(), as: UTF8.self).contains("membership"))
    }

    /// The ε bound's verdict: material above the threshold, small when it proves some leakage, never "none".
    @Test func theEpsilonBoundIsJudgedByItself() {
        let m = Materiality(scale: .epsilon, threshold: 1)
        #expect(m.verdict(rejected: nil, estimate: Estimate(value: 1.2, lower: 1.2)) == .material)
        #expect(m.verdict(rejected: nil, estimate: Estimate(value: 0.4, lower: 0.4)) == .small)
        #expect(m.verdict(rejected: false, estimate: Estimate(value: 0, lower: 0)) == .inconclusive)
        #expect(m.excludes(Estimate(value: 1.2, lower: 1.2)) && !m.excludes(Estimate(value: 0.9, lower: 0.9)))
        #expect(throws: FairgroundError.self) { try Materiality(scale: .epsilon, threshold: -1).validate(field: "t") }
    }

    /// `empirical_epsilon` at most E: violated exactly when the bound exceeds E; `at_least` is refused;
    /// `membership_auc` is bounded by its interval.
    @Test func policiesBoundTheAttack() throws {
        func report(area: Double, epsilon: Double) throws -> AuditReport {
            var data = try Self.cached()
            data.privacy = PrivacyData(consent: nil)
            data.privacy!.membership = Self.evidence(area: area, pValue: area > 0.6 ? 1e-20 : 0.4, epsilon: epsilon)
            return try FairnessAudit.run(data, configuration: quickConfiguration(), threads: 2).report
        }
        let policy = try Policy.parse("""
            version: 1
            rules:
              - name: attack AUC
                metric: membership_auc
                at_most: 0.55
              - name: empirical epsilon
                metric: empirical_epsilon
                at_most: 1
            """, file: "policy.yaml")
        let leaky = try policy.evaluate(try report(area: 0.8, epsilon: 1.3))
        #expect(leaky.map(\.status) == [.violated, .violated], "\(leaky)")
        let tight = try policy.evaluate(try report(area: 0.5, epsilon: 0.6))
        #expect(tight.map(\.status) == [.passed, .passed], "\(tight)")
        let material = try Policy.parse("""
            version: 1
            rules:
              - name: epsilon material
                metric: empirical_epsilon
                material: 0.5
            """, file: "policy.yaml")
        #expect(try material.evaluate(try report(area: 0.5, epsilon: 0.6))[0].status == .violated)
        #expect(try material.evaluate(try report(area: 0.5, epsilon: 0.4))[0].status == .passed)
        #expect {
            try Policy.parse("version: 1\nrules:\n  - name: e\n    metric: empirical_epsilon\n    at_least: 1\n",
                             file: "policy.yaml")
        } throws: { ($0 as? FairgroundError)?.description.contains("rules[0].at_least") == true }
    }

    /// Without a non-member world a membership rule is refused from the settings alone, and from the data.
    @Test func membershipRulesNeedNonMembers() throws {
        let policy = try Policy.parse("version: 1\nrules:\n  - name: a\n    metric: membership_auc\n    at_most: 0.55\n",
                                      file: "policy.yaml")
        #expect {
            try policy.check(configuration: AuditConfiguration(), privileged: [:])
        } throws: { ($0 as? FairgroundError)?.description.contains("--non-members") == true }
        try policy.check(configuration: AuditConfiguration(), privileged: [:],
                         unavailable: [.privacy: "no privacy view"], nonMembers: true)
        #expect {
            try policy.check(before: try Self.cached(), configuration: AuditConfiguration())
        } throws: { ($0 as? FairgroundError)?.description.contains("--non-members") == true }
    }

    /// One small audit's data, built once for the policy tests.
    static func cached() throws -> AuditData {
        try Self.shared.get()
    }

    static let shared: Result<AuditData, any Error> = Result {
        try MembershipEvidenceTests().data("shared")
    }
}
