import Statistics
import Audit
@testable import AuditSubjects
import FileSupport
import Foundation
import Linear
import Population
import Recommender
import Testing
import TrainingData

/// The audit's privacy view: consent by group, what opting out costs, the bias of an audit of consenting users
/// alone, what factors and data reveal, and whether the lists reveal a sensitive trait — each figure checked
/// against a direct computation or a known truth of the world.
@Suite("Privacy view", .serialized)
struct PrivacyViewTests {
    struct Setting {
        var directory: String
        var world: World
        var model: FactorModel
        var result: AuditResult
        var data: AuditData
    }

    /// Generates `spec`, trains the default model with `selection`, and audits it.
    func audit(_ spec: PopulationSpec, name: String, selection: TrainingSelection = TrainingSelection(),
               privacy: PrivacyMode = .auto, threads: Int = 2) throws -> Setting {
        let directory = temporaryDirectory("privacy-\(name)")
        let world = try Generator(spec: spec, seed: 3).generate(users: 0..<spec.users, threads: 2)
        _ = try WorldWriter(threads: 2).write(world, to: directory, repairCorrelations: false)
        var configuration = ALSConfiguration()  // the defaults: a model worth auditing
        configuration.seed = 3
        let model = try selection.train(world.interactionData(), with: ImplicitALS(configuration: configuration),
                                        threads: 2).model
        var audit = try ModelAudit(directory: directory, model: model)
        audit.factualWorld = world
        audit.privacy = privacy
        let data = try audit.data(threads: threads)
        let result = try FairnessAudit.run(data, configuration: quickConfiguration(), threads: threads)
        return Setting(directory: directory, world: world, model: model, result: result, data: data)
    }

    func privacyFindings(_ s: Setting) -> [Finding] { s.result.report.findings.filter { $0.view == .privacy } }

    /// Opt-out skewed by ethnicity and income: the opt-out gap is found, and the consenting-only demographic parity
    /// difference of payday loans by ethnicity is biased — each value checked against a direct count.
    @Test func skewedOptOutBiasesTheConsentingOnlyAudit() throws {
        let s = try audit(try dataset("opt-out-skew", users: 50_000), name: "skew")
        let report = s.result.report
        let privacy = try #require(report.privacy)
        let consent = try #require(s.data.privacy?.consent)
        #expect(privacy.optedOut == consent.filter { !$0 }.count)
        #expect(privacy.optedOutServing == "non-personalised")
        let rate = try #require(report.findings.first { $0.id == "privacy/ethnicity/opt_out_rate_difference" })
        #expect(rate.verdict == .material)
        // The consenting-only DP difference, recomputed from the decisions.
        let offers = report.offers.count, o = try #require(report.offers.firstIndex(of: "payday_loan"))
        let ethnicity = try #require(s.data.attributes.first { $0.name == "ethnicity" })
        func dp(_ include: (Int) -> Bool) -> Double {
            var selected = [0.0, 0.0], members = [0.0, 0.0]
            for u in 0..<s.data.users where include(u) {
                let l = Int(ethnicity.membership[u])
                members[l] += 1
                if s.result.targeted[u * offers + o] { selected[l] += 1 }
            }
            let rates = zip(selected, members).map { $0 / $1 }
            return rates.max()! - rates.min()!
        }
        let row = try #require(privacy.optOutBias.first {
            $0.offer == "payday_loan" && $0.attribute == "ethnicity" && $0.metric == .demographicParityDifference
        })
        #expect(abs(try #require(row.everyone) - dp { _ in true }) < 1e-12)
        #expect(abs(try #require(row.consentingOnly) - dp { consent[$0] }) < 1e-12)
        let bias = try #require(report.findings.first {
            $0.id == "privacy/payday_loan/ethnicity/opt_out_bias/demographic_parity_difference"
        })
        #expect(bias.basis == .demographicParityDifference)
        #expect(abs(try #require(bias.estimate.value) - (row.consentingOnly! - row.everyone!)) < 1e-12)
        // The test rejects "no bias" (its size decides material or small).
        #expect(bias.rejects(alpha: 0.05) == true && [.material, .small].contains(bias.verdict),
                "\(bias.estimate) \(bias.reason)")
        #expect(try #require(bias.estimate.lower) <= bias.estimate.value! && bias.estimate.value! <= bias.estimate.upper!)
        // Gender's opt-out is random: no bias is claimed for it.
        for f in privacyFindings(s) where f.metric == .optOutBias && f.attribute == "gender" {
            #expect(f.verdict != .material, "\(f.id)")
        }
    }

    /// With consent independent of everything, no opt-out bias and no opt-out gap is claimed, and the
    /// demographic-parity biases are all within a point.
    @Test func randomOptOutLeavesTheAuditUnbiased() throws {
        var spec = try dataset("opt-out-skew", users: 30_000)
        let consent = try #require(spec.consentAttribute)
        spec.correlations.removeAll { $0.first == consent || $0.second == consent }
        let s = try audit(spec, name: "random")
        let findings = privacyFindings(s)
        #expect(findings.contains { $0.metric == .optOutBias })
        for f in findings where f.metric == .optOutBias || f.metric == .optOutRateDifference {
            #expect(f.verdict != .material, "\(f.id): \(f.estimate)")
            if f.basis == .demographicParityDifference { #expect(abs(f.estimate.value ?? 1) < 0.01, "\(f.id)") }
        }
    }

    /// The pregnancy case: the factors and the data reveal `expecting`, the lists show baby products to expecting
    /// users more often (checked against a direct count of the served lists), opted-out users' cost is what the
    /// popular list loses against their personalised one; minimisation lowers what the factors reveal.
    @Test func thePregnancyCase() throws {
        let spec = try dataset("pregnancy-prediction", users: 12_000)
        let s = try audit(spec, name: "pregnancy")
        let findings = privacyFindings(s)
        let factors = try #require(findings.first { $0.id == "privacy/expecting/inference_auc/true/user_factors" })
        let raw = try #require(findings.first { $0.id == "privacy/expecting/inference_auc/true/interactions" })
        #expect(factors.source == "user_factors" && factors.trait == "true")
        #expect(factors.verdict == .material && raw.verdict == .material)
        #expect(try #require(factors.estimate.value) > 0.7, "\(factors.estimate)")
        #expect(factors.estimate.lower! <= factors.estimate.value! && factors.estimate.value! <= factors.estimate.upper!)
        // The audit's probe is the probe on the consenting users' folded-in factors.
        let p = try #require(s.data.privacy)
        let rows = try #require(p.consent).indices.filter { p.consent![$0] }
        let source = try #require(p.sources.first { $0.name == "user_factors" })
        let trait = try #require(p.traits.first { $0.attribute == "expecting" })
        let x = source.features
        let direct = InferenceProbe().probe(
            features: Matrix(rows: rows.count, columns: x.columns,
                             elements: rows.flatMap { r in (0..<x.columns).map { Double(x.elements[r * x.columns + $0]) } }),
            labels: rows.map { trait.labels[$0] })
        #expect(direct?.auc == factors.estimate.value)
        #expect(s.result.report.privacy?.probedUsers == rows.count)
        // Sensitive exposure: the served list of each user, counted directly.
        let baby = try #require(findings.first { $0.metric == .sensitiveExposureRateDifference && $0.category == "baby" })
        let category = try #require(p.sensitiveCategories.first { $0.name == "baby" })
        let lists = try #require(s.data.lists), served = try #require(p.optedOutList)
        var shown = [0.0, 0.0], count = [0.0, 0.0]
        for u in 0..<s.data.users {
            let list = p.consent![u] ? Array(lists.items[(u * lists.k)..<((u + 1) * lists.k)]) : served
            let t = trait.labels[u] ? 1 : 0
            count[t] += 1
            if list.contains(where: { $0 >= 0 && category.items[Int($0)] }) { shown[t] += 1 }
        }
        #expect(abs(baby.estimate.value! - (shown[1] / count[1] - shown[0] / count[0])) < 1e-12)
        #expect(baby.verdict == .material, "\(baby.estimate) \(baby.groups.map(\.estimate))")
        // Opting out: a group's cost is its personalised NDCG minus its served one, over the same opted-out users.
        let privacy = try #require(s.result.report.privacy)
        let cost = try #require(findings.first { $0.id == "privacy/gender/opt_out_ndcg_cost_difference" })
        for g in privacy.groups where g.attribute == "gender" {
            let value = try #require(cost.groups.first { $0.group == g.group }?.estimate.value)
            #expect(abs(value - (g.optedOutPersonalisedNDCG.value! - g.optedOutServedNDCG.value!)) < 1e-9, "\(g)")
        }
        // Minimisation: the factors of a model trained without the sensitive categories reveal less.
        var minimised = TrainingSelection()
        minimised.excludedItems = Set(p.sensitiveCategories.flatMap { c in c.items.indices.filter { c.items[$0] } })
        let m = try audit(spec, name: "pregnancy-minimised", selection: minimised)
        let after = try #require(privacyFindings(m).first { $0.id == "privacy/expecting/inference_auc/true/user_factors" })
        #expect(try #require(after.estimate.value) < factors.estimate.value! - 0.1, "\(after.estimate) vs \(factors.estimate)")
    }

    /// One finding schema (issue 24, point 5): `fairground probe`'s findings (`TraitInference.run`) are the privacy
    /// view's `inference_auc` findings — for the same world and factors, the same id, AUC, interval and groups, and
    /// the same JSON keys at every level — judged by the probe's own materiality.
    @Test func probeFindingsAreTheAuditsInferenceFindings() throws {
        let s = try audit(try dataset("pregnancy-prediction", users: 4000), name: "probe-shape")
        let audited = try #require(privacyFindings(s).first { $0.id == "privacy/expecting/inference_auc/true/user_factors" })
        // The factors the audit probed: the consenting users' (a consent-honouring model holds none for the others,
        // whose rows the probe leaves out as it leaves out a model file's zero rows).
        let p = try #require(s.data.privacy), consent = try #require(p.consent)
        let factors = try #require(p.sources.first { $0.name == "user_factors" }).features
        var elements = factors.elements
        for u in consent.indices where !consent[u] {
            for j in 0..<factors.columns { elements[u * factors.columns + j] = 0 }
        }
        let held = Matrix(rows: factors.rows, columns: factors.columns, elements: elements)
        var inference = TraitInference(world: s.world)
        inference.attributes = ["expecting"]
        let probes = try inference.run(sources: [("user_factors", held)])
        #expect(probes.map(\.id) == ["privacy/expecting/inference_auc/true/user_factors",
                                     "privacy/expecting/inference_auc/true/interactions"])
        let probed = try #require(probes.first)
        #expect(probed.estimate == audited.estimate && probed.groups == audited.groups, "\(probed.estimate) vs \(audited.estimate)")
        #expect(probed.view == .privacy && probed.metric == .inferenceAUC && probed.test == .deLong
                && probed.interval == audited.interval && probed.source == "user_factors" && probed.trait == "true")
        #expect(probed.verdict == .material && audited.verdict == .material)
        #expect(probed.reason.hasPrefix("the trait can be predicted (DeLong's one-sided test"), "\(probed.reason)")
        // Holm over the run's two probes.
        #expect(probes.map(\.holmPValue) == Significance.holm(probes.map { $0.pValue ?? 1 }))
        func keys(_ f: Finding) throws -> Set<String> {
            func walk(_ value: Any, _ path: String) -> [String] {
                if let object = value as? [String: Any] {
                    return object.flatMap { key, child in [path + key] + walk(child, path + key + ".") }
                }
                if let array = value as? [Any] { return array.flatMap { walk($0, path.dropLast() + "[].") } }
                return []
            }
            let bytes = try JSONOutput.bytes(f, snakeCase: true, what: "finding")
            return Set(walk(try JSONSerialization.jsonObject(with: Data(bytes)), ""))
        }
        let probeKeys = try keys(probed)
        #expect(probeKeys == (try keys(audited)))
        #expect(probeKeys.isSuperset(of: ["metric", "estimate.value", "estimate.lower", "estimate.upper", "verdict",
                                          "test", "p_value", "holm_p_value", "materiality.threshold", "reason",
                                          "groups[].members", "source", "trait", "simultaneous.lower", "interval"]))
        // A run's own materiality: the same evidence, judged against a stricter threshold, is small.
        inference.materiality.threshold = 0.95
        let lenient = try #require(try inference.run(sources: [("user_factors", held)]).first)
        #expect(lenient.verdict == .small && lenient.materiality?.threshold == 0.95, "\(lenient.reason)")
    }

    /// A model trained ignoring consent serves opted-out users personalised lists: the report warns, and there is
    /// no cost of opting out to compare.
    @Test func aModelThatIgnoresConsentIsFlagged() throws {
        var selection = TrainingSelection()
        selection.consent = .ignore
        let s = try audit(try dataset("pregnancy-prediction", users: 4000), name: "ignore", selection: selection)
        let report = s.result.report
        #expect(report.privacy?.optedOutServing == "personalised")
        #expect(report.warnings?.contains { $0.contains("does not honour consent") } == true)
        #expect(report.privacy?.probedUsers == report.users)
        for f in privacyFindings(s) where f.metric == .optOutNDCGCostDifference {
            #expect(f.verdict == .inconclusive, "\(f.id)")
        }
    }

    /// The privacy view is added only when the spec declares consent or sensitive traits (or when asked), and
    /// its report is the same on any thread count.
    @Test func privacyModesAndThreads() throws {
        let plain = try audit(try dataset("credit-offers", users: 2000), name: "plain")
        #expect(plain.result.report.privacy == nil && privacyFindings(plain).isEmpty)
        let on = try audit(try dataset("credit-offers", users: 2000), name: "on", privacy: .on)
        #expect(privacyFindings(on).contains { $0.metric == .inferenceAUC && $0.attribute == "ethnicity" })
        #expect(!privacyFindings(on).contains { $0.metric == .optOutBias })  // no consent attribute
        let spec = try dataset("pregnancy-prediction", users: 3000)
        let off = try audit(spec, name: "off", privacy: .off)
        #expect(off.result.report.privacy == nil)
        let one = try audit(spec, name: "one-thread", threads: 1), two = try audit(spec, name: "two-threads", threads: 2)
        #expect(try one.result.report.jsonBytes() == two.result.report.jsonBytes())
    }
}
