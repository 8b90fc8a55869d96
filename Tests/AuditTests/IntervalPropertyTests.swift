@testable import Audit
import Foundation
import Testing
import TestSupport

/// Issue 11, point 1: every interval an audit reports contains its point estimate — every metric and view,
/// intersections and small cells included — and the simultaneous interval contains the per-finding one.
@Suite struct IntervalPropertyTests {
    /// A random audit: a three-level attribute with a rare level and a boolean one (so the intersection has cells
    /// below the minimum size), two offers, truth, observed interest, top-K lists and twins for every level.
    static func data(seed: UInt64, users n: Int) -> AuditData {
        var rng = TestLCG(seed: seed)
        let levelShares = [0.6, 0.385, 0.015]
        let region = (0..<n).map { _ -> Int32 in
            let u = Double.random(in: 0..<1, using: &rng)
            return u < levelShares[0] ? 0 : (u < levelShares[0] + levelShares[1] ? 1 : 2)
        }
        let flag = (0..<n).map { _ in Int32(Bool.random(using: &rng) ? 1 : 0) }
        let attributes = [
            Grouping(name: "region", levels: ["north", "south", "island"], membership: region, privileged: 0),
            Grouping(name: "flag", levels: ["no", "yes"], membership: flag, privileged: 1),
        ]
        let offers = 2, items = 12, k = 4
        // Scores lean on the attributes by a seed-dependent amount (0 in some audits: the null).
        let lean = Float(seed % 3) * 0.3
        var scores = [Float](), truth = [Float](), observed = [Float]()
        for u in 0..<n {
            for o in 0..<offers {
                let base = Float.random(in: 0..<1, using: &rng)
                scores.append(base + lean * Float(region[u]) * Float(o + 1) / 2 + Float(seed % 2) * 0.1 * Float(flag[u]))
                truth.append(base + Float.random(in: -0.3..<0.3, using: &rng))
                observed.append(base + Float.random(in: -0.5..<0.5, using: &rng))
            }
        }
        var lists = [Int32]()
        for _ in 0..<n {
            var chosen = Array(0..<Int32(items))
            chosen.shuffle(using: &rng)
            lists += chosen.prefix(k)
        }
        let offerOfItem = (0..<items).map { Int32($0 < 3 ? 0 : ($0 < 6 ? 1 : -1)) }
        var worlds: [CounterfactualWorld] = []
        for (a, attribute) in attributes.enumerated() {
            for level in attribute.levels.indices {
                // A twin's scores move a little for users whose level changes.
                let twin = (0..<(n * offers)).map { i -> Float in
                    let u = i / offers
                    return Int(attribute.membership[u]) == level ? scores[i]
                        : scores[i] + Float.random(in: -0.05..<0.05, using: &rng) * Float(seed % 4)
                }
                var twinLists = lists
                for u in 0..<n where Int(attribute.membership[u]) != level && Bool.random(using: &rng) {
                    twinLists[u * k] = Int32.random(in: 0..<Int32(items), using: &rng)
                }
                worlds.append(CounterfactualWorld(attribute: a, level: level, kind: .total, scores: twin,
                                                  lists: twinLists))
            }
        }
        return AuditData(userIDs: Array(0..<n), attributes: attributes, offers: ["loan", "card"], scores: scores,
                         truth: truth, observed: observed,
                         lists: RankedLists(k: k, items: lists, offerOfItem: offerOfItem), counterfactuals: worlds)
    }

    /// Every estimate of a report with its name.
    static func estimates(_ report: AuditReport) -> [(String, Estimate)] {
        var result: [(String, Estimate)] = []
        for f in report.findings {
            result.append((f.id, f.estimate))
            if let s = f.simultaneous { result.append((f.id + " (simultaneous)", s)) }
            for g in f.groups { result.append((f.id + " " + g.group, g.estimate)) }
        }
        for a in report.attribution {
            let id = "attribution/\(a.offer)/\(a.attribute)"
            result += [(id + " truth", a.truthGap), (id + " observed", a.observedGap), (id + " model", a.modelGap),
                       (id + " data", a.addedByData), (id + " added by model", a.addedByModel)]
            for row in a.groups { result += [(id + row.group, row.truth), (id + row.group, row.observed),
                                             (id + row.group, row.model)] }
        }
        for c in report.counterfactuals {
            if let j = c.topKJaccard { result.append((c.world + " jaccard", j)) }
            for o in c.offers {
                result += [(c.world + o.offer + " up", o.flipUp), (c.world + o.offer + " down", o.flipDown),
                           (c.world + o.offer + " rate", o.flipRate), (c.world + o.offer + " delta", o.scoreDelta)]
                if let e = o.exposureChange { result.append((c.world + o.offer + " exposure", e)) }
            }
        }
        return result
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    func everyIntervalContainsItsEstimate(seed: UInt64) throws {
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 40
        configuration.seed = seed
        let n = [300, 900, 2_500][Int(seed % 3)]
        let report = try FairnessAudit.run(Self.data(seed: seed, users: n), configuration: configuration).report
        var intervals = 0
        for (name, e) in Self.estimates(report) {
            guard let value = e.value, let lower = e.lower, let upper = e.upper else { continue }
            intervals += 1
            #expect(lower <= value && value <= upper, "\(name): \(value) [\(lower), \(upper)]")
        }
        for f in report.findings {
            guard let s = f.simultaneous, let lo = f.estimate.lower, let hi = f.estimate.upper else { continue }
            #expect(s.lower! <= lo + 1e-12 && hi <= s.upper! + 1e-12, "\(f.id): simultaneous narrower")
        }
        // Intersections with small cells and every view are in the report.
        #expect(report.findings.contains { $0.attribute == "region × flag" && $0.groups.contains(where: \.small) })
        #expect(Set(report.findings.map(\.view)) == [.campaign, .recommendation, .counterfactual])
        #expect(intervals > 300, "\(intervals) intervals")
    }
}
