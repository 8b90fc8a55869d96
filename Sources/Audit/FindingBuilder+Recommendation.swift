#if canImport(Glibc)
internal import Glibc
#endif

/// The recommendation view: exposure and NDCG gaps of the top-K lists.
extension FindingBuilder {
    mutating func recommendation() {
        for g in groupings.indices {
            let (levels, note) = eligible(g)
            for o in 0..<engine.offers {
                let c = layout.offers[o]
                if let exposed = c.exposed, let metric = metric("exposure_rate_difference") {
                    let rate = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, exposed) },
                                           denominator: { [tallies] r, l in tallies.sum(r, g, l, 0) })
                    let rateTest = addTest(Significance.proportionsEqual(
                        successes: levels.map { tallies.sum(0, g, $0, exposed) }, totals: levels.map { members(g, $0) },
                        names: levels.map { groupings[g].levels[$0] }))
                    add(metric, offer: o, attribute: g, estimate: estimate { r in
                        spread(g, r) { r, l in tallies.sum(r, g, l, exposed) / tallies.sum(r, g, l, 0) }
                    }, tests: [rateTest], note: note, groups: rate)
                }
                if let position = c.position, let metric = metric("exposure_difference") {
                    let values = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, position) },
                                             denominator: { [tallies] r, l in tallies.sum(r, g, l, 0) })
                    let positionTest = addTest(Significance.meansEqual(
                        levels.map { tallies.moments(g, $0, position, count: 0) },
                        names: levels.map { groupings[g].levels[$0] }))
                    add(metric, offer: o, attribute: g, estimate: estimate { r in
                        spread(g, r) { r, l in tallies.sum(r, g, l, position) / tallies.sum(r, g, l, 0) }
                    }, tests: [positionTest], note: note, groups: values)
                }
            }
            guard let d = layout.ndcgDefined, let v = layout.ndcg, let metric = metric("ndcg_difference") else { continue }
            let ndcg = groupValues(g, numerator: { [tallies] r, l in tallies.sum(r, g, l, v) },
                                   denominator: { [tallies] r, l in tallies.sum(r, g, l, d) })
            let defined = levels.filter { tallies.sum(0, g, $0, d) >= 2 }
            let test = addTest(Significance.meansEqual(
                defined.map { tallies.moments(g, $0, v, count: d) }, names: defined.map { groupings[g].levels[$0] }))
            add(metric, offer: nil, attribute: g, estimate: estimate { r in
                spread(g, r) { r, l in
                    let count = tallies.sum(r, g, l, d)
                    return count > 0 ? tallies.sum(r, g, l, v) / count : nil
                }
            }, undefined: emptyDenominators(ndcg, what: "users with a truly interesting offer"), tests: [test],
                note: note, groups: ndcg)
        }
    }
}
