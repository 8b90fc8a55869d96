@testable import Audit
import FileSupport
import Testing
import TestSupport

/// The campaign decision as a value (``DecisionRule``): fitted once on the factual world, applied unchanged to
/// every twin world; checked against direct counts.
@Suite struct DecisionRuleTests {
    /// 4,000 users in two groups, two offers; group b scores lower on offer 0; a counterfactual world moves everyone
    /// to group b with scores lowered by 0.05 on offer 0.
    func data() -> AuditData {
        var rng = TestLCG(seed: 21)
        let n = 4000
        let membership = (0..<n).map { _ in Int32(rng.next() >> 63) }
        var scores: [Float] = [], truth: [Float] = [], twin: [Float] = [], observed: [Float] = []
        for u in 0..<n {
            for o in 0..<2 {
                let noise = Float(rng.next() >> 40) / Float(1 << 24)
                let s = noise - (o == 0 && membership[u] == 1 ? 0.1 : 0)
                scores.append(s)
                truth.append(Float(rng.next() >> 40) / Float(1 << 24))
                observed.append(truth.last! + Float(rng.next() >> 40) / Float(1 << 26))
                twin.append(membership[u] == 1 ? s : s - (o == 0 ? 0.05 : 0))
            }
        }
        let group = Grouping(name: "g", levels: ["a", "b"], membership: membership)
        return AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["loan", "card"], scores: scores,
                         truth: truth, observed: observed, counterfactuals: [CounterfactualWorld(attribute: 0, level: 1, kind: .total, scores: twin)])
    }

    func configuration(_ rules: KeyValuePairs<String, DecisionRule>?) -> AuditConfiguration {
        var c = AuditConfiguration()
        c.bootstrapReplicates = 40
        c.decisionRules = rules.map { $0.map { OfferRule(offer: $0.key, rule: $0.value) } }
        return c
    }

    @Test func theDefaultRuleIsTheTopShare() throws {
        let d = data()
        let plain = try FairnessAudit.run(d, configuration: configuration(nil))
        let explicit = try FairnessAudit.run(d, configuration: configuration(["loan": .topShare(0.1), "card": .topShare(0.1)]))
        #expect(plain.targeted == explicit.targeted && plain.twinTargeted == explicit.twinTargeted)
        #expect(plain.report.findings == explicit.report.findings)
        #expect(plain.targeted.enumerated().filter { $0.offset % 2 == 0 && $0.element }.count == 400)
    }

    @Test func aScoreThresholdTargetsExactlyTheUsersAtOrAboveIt() throws {
        let d = data()
        let t: Float = 0.7
        let result = try FairnessAudit.run(d, configuration: configuration(["loan": .scoreThreshold(t)]))
        let membership = d.attributes[0].membership
        for u in 0..<d.users {
            #expect(result.targeted[u * 2] == (d.scores[u * 2] >= t))
            // Twins are judged against the same threshold.
            #expect(result.twinTargeted[0][u * 2] == (d.counterfactuals[0].scores[u * 2] >= t || (membership[u] == 1 && d.scores[u * 2] >= t)))
        }
        // Each group's selection rate is a direct count of its users at or above the threshold.
        let finding = try #require(result.report.findings.first { $0.metric == .demographicParityDifference && $0.offer == "loan" })
        for (level, g) in finding.groups.enumerated() {
            let members = (0..<d.users).filter { membership[$0] == Int32(level) }
            let above = members.filter { d.scores[$0 * 2] >= t }.count
            #expect(g.members == members.count && g.numerator == Double(above), "\(g.group)")
        }
        // The other offer keeps the top share; attribution selects as many users by truth as the model did.
        #expect((0..<d.users).filter { result.targeted[$0 * 2 + 1] }.count == 400)
        let attribution = try #require(result.report.attribution.first { $0.offer == "loan" })
        let targeted = (0..<d.users).filter { result.targeted[$0 * 2] }.count
        for stage in [\Attribution.Row.truth, \.observed, \.model] {
            let selected = attribution.groups.reduce(0.0) { $0 + ($1[keyPath: stage].value ?? 0) * Double($1.members) }
            #expect(abs(selected - Double(targeted)) < 0.5, "\(stage): \(selected) vs \(targeted)")
        }
        #expect(result.report.configuration.decisionRules == [OfferRule(offer: "loan", rule: .scoreThreshold(t))])
    }

    @Test func aBudgetTargetsTheTopNUsers() throws {
        let d = data()
        let result = try FairnessAudit.run(d, configuration: configuration(["card": .budget(123)]))
        let chosen = (0..<d.users).filter { result.targeted[$0 * 2 + 1] }
        #expect(chosen.count == 123)
        let lowest = chosen.map { d.scores[$0 * 2 + 1] }.min()!
        #expect((0..<d.users).filter { d.scores[$0 * 2 + 1] > lowest }.count <= 123)
    }

    @Test func perGroupThresholdsJudgeATwinByItsOwnGroup() throws {
        let d = data()
        let rule = DecisionRule.groupThresholds(attribute: "g", thresholds: ["a": 0.8, "b": 0.6])
        let result = try FairnessAudit.run(d, configuration: configuration(["loan": rule]))
        let membership = d.attributes[0].membership
        for u in 0..<d.users {
            let own: Float = membership[u] == 0 ? 0.8 : 0.6
            #expect(result.targeted[u * 2] == (d.scores[u * 2] >= own))
            // Every twin is in group b: its threshold is b's.
            let twinScore = membership[u] == 1 ? d.scores[u * 2] : d.counterfactuals[0].scores[u * 2]
            #expect(result.twinTargeted[0][u * 2] == (twinScore >= 0.6))
        }
    }

    @Test func badRulesAreRefusedNamingWhatIsWrong() {
        let d = data()
        let cases: [(KeyValuePairs<String, DecisionRule>, String)] = [
            (["mortgage": .scoreThreshold(0.5)], "mortgage"),
            (["loan": .budget(0)], "budget"),
            (["loan": .topShare(1.5)], "share"),
            (["loan": .scoreThreshold(.nan)], "finite"),
            (["loan": .groupThresholds(attribute: "age", thresholds: ["x": 1])], "age"),
            (["loan": .groupThresholds(attribute: "g", thresholds: ["a": 1])], "no threshold for b"),
            (["loan": .groupThresholds(attribute: "g", thresholds: ["a": 1, "b": 1, "c": 1])], "unknown level c"),
            (["loan": .budget(5), "loan": .budget(6)], "one decision rule per offer"),
        ]
        for (rules, expected) in cases {
            #expect { try FairnessAudit.run(d, configuration: configuration(rules)) } throws: { error in
                let e = error as? FairgroundError
                return e?.field == "" && e.map { "\($0)" }?.contains(expected) == true
                    && e?.location == .parameter("decisionRules")
            }
        }
    }

    @Test func rulesRoundTripThroughJSON() throws {
        let c = configuration(["a": .topShare(0.2), "b": .scoreThreshold(0.42), "c": .budget(7),
                               "dOffer": .groupThresholds(attribute: "g", thresholds: ["xLevel": 1, "y": 2])])
        let bytes = try JSONOutput.bytes(c, snakeCase: true, what: "c")
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"kind\" : \"score_threshold\""))
        #expect(try JSONInput.decode(AuditConfiguration.self, from: bytes, snakeCase: true) == c)
        // The default configuration encodes no rules: reports of default audits keep their bytes.
        #expect(!String(decoding: try JSONOutput.bytes(AuditConfiguration(), snakeCase: true, what: "c"), as: UTF8.self)
            .contains("decision_rules"))
    }
}
