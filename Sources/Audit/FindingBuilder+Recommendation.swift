#if canImport(Glibc)
internal import Glibc
#endif
import Statistics

/// The recommendation view: exposure and NDCG gaps of the top-K lists.
extension FindingBuilder {
    mutating func recommendation() {
        for g in groupings.indices {
            let (levels, note) = eligible(g)
            for o in 0..<engine.offers {
                let c = layout.offers[o]
                if let exposed = c.exposed, let metric = metric(.exposureRateDifference) {
                    let rate = rateValues(g, numerator: { [tallies] l in tallies.sum(0, g, l, exposed) },
                                          denominator: { [self] l in members(g, l) })
                    let summary = { [self] (l: Int) in Self.proportion(tallies.sum(0, g, l, exposed), members(g, l)) }
                    let rateTest = addTest(equalityTest(g, levels, proportion: true, summary))
                    let groups = summaries(g, summary)
                    add(metric, offer: o, attribute: g, value: groups.flatMap(Self.spreadValue),
                        interval: groups.map { .spread($0) } ?? .none, tests: [rateTest], note: note, groups: rate)
                }
                if let position = c.position, let metric = metric(.exposureDifference) {
                    let values = meanValues(g, column: position, count: 0)
                    let summary = { [self] l in meanSummary(g, l, column: position, count: 0) }
                    let positionTest = addTest(equalityTest(g, levels, proportion: false, summary))
                    let groups = summaries(g, summary)
                    add(metric, offer: o, attribute: g, value: groups.flatMap(Self.spreadValue),
                        interval: groups.map { .spread($0) } ?? .none, tests: [positionTest], note: note,
                        groups: values)
                }
            }
            guard let d = layout.ndcgDefined, let v = layout.ndcg, let metric = metric(.ndcgDifference) else { continue }
            let ndcg = meanValues(g, column: v, count: d)
            let summary = { [self] l in meanSummary(g, l, column: v, count: d) }
            let defined = levels.filter { tallies.sum(0, g, $0, d) >= 2 }
            let test = addTest(equalityTest(g, defined, proportion: false, summary))
            let groups = summaries(g, summary)
            add(metric, offer: nil, attribute: g, value: groups.flatMap(Self.spreadValue),
                interval: groups.map { .spread($0) } ?? .none,
                undefined: emptyDenominators(ndcg, what: "users with a truly interesting offer"), tests: [test],
                note: note, groups: ndcg)
        }
    }

    /// max − min of the summaries' values, `nil` for fewer than two.
    static func spreadValue(_ groups: [GroupSummary]) -> Double? {
        guard groups.count >= 2 else { return nil }
        let values = groups.map(\.value)
        return values.max()! - values.min()!
    }
}
