/// The engine's row layout: where each per-user quantity sits in the row of values the bootstrap sums, and how a
/// user's row is filled from the columns.
extension AuditEngine {
    /// Where each quantity sits in a row of values; `nil` where the quantity is not computed (the data lack
    /// it, or no active metric needs it).
    package struct Layout: Sendable, Codable, Equatable {
        package struct Offer: Sendable, Codable, Equatable {
            package var targeted = 0
            package var interested: Int?, truePositive: Int?, truthSelected: Int?, observedSelected: Int?
            package var exposed: Int?, position: Int?
        }
        package struct WorldOffer: Sendable, Codable, Equatable { var up = 0, down = 0, delta = 0, exposureUp: Int?, exposureDown: Int? }
        package struct World: Sendable, Codable, Equatable { var affected = 0, jaccard: Int?, offers: [WorldOffer] = [] }
        /// The consenting users' campaign sums per offer, and NDCG split by consent (the privacy view).
        package struct Consent: Sendable, Codable, Equatable {
            package struct Offer: Sendable, Codable, Equatable { var targeted = 0, interested: Int?, truePositive: Int? }
            package var consenting = 0, optedOut = 0
            package var offers: [Offer] = []
            package var consentingNdcgDefined: Int?, consentingNdcg: Int?
            package var optedOutNdcgDefined: Int?, optedOutNdcg: Int?, optedOutServed: Int?, optedOutCost: Int?
        }
        package var count = 0
        package var offers: [Offer] = []
        package var ndcgDefined: Int?, ndcg: Int?
        package var worlds: [World] = []
        package var consent: Consent?
        package var width = 1

        package mutating func next() -> Int {
            defer { width += 1 }
            return width
        }
    }

    /// The per-user columns the active metrics need.
    package var neededColumns: Set<MetricDescriptor.Column> {
        metrics.reduce(into: []) { $0.formUnion($1.columns) }
    }

    /// The layout of the columns that are both available in `c` and needed by an active metric (attribution's
    /// truth and observed selections whenever the data have them).
    package func layout(_ c: Columns) -> Layout {
        let needed = neededColumns
        let interest = c.interested != nil && needed.contains(.interest)
        let exposure = c.exposed != nil && (needed.contains(.exposure) || needed.contains(.twinExposure))
        var l = Layout()
        for _ in 0..<offers {
            var o = Layout.Offer()
            o.targeted = l.next()
            if interest { o.interested = l.next(); o.truePositive = l.next() }
            if c.truthSelected != nil { o.truthSelected = l.next() }
            if c.observedSelected != nil { o.observedSelected = l.next() }
            if exposure { o.exposed = l.next(); o.position = l.next() }
            l.offers.append(o)
        }
        if c.ndcg != nil && needed.contains(.ndcg) { l.ndcgDefined = l.next(); l.ndcg = l.next() }
        for w in c.worlds {
            var lw = Layout.World()
            lw.affected = l.next()
            if w.jaccard != nil { lw.jaccard = l.next() }
            for _ in 0..<offers {
                var wo = Layout.WorldOffer()
                wo.up = l.next(); wo.down = l.next(); wo.delta = l.next()
                if exposure && w.twinExposed != nil && needed.contains(.twinExposure) {
                    wo.exposureUp = l.next(); wo.exposureDown = l.next()
                }
                lw.offers.append(wo)
            }
            l.worlds.append(lw)
        }
        if c.consenting != nil && needed.contains(.consent) {
            var lc = Layout.Consent()
            lc.consenting = l.next(); lc.optedOut = l.next()
            for _ in 0..<offers {
                var co = Layout.Consent.Offer()
                co.targeted = l.next()
                if interest { co.interested = l.next(); co.truePositive = l.next() }
                lc.offers.append(co)
            }
            if c.ndcg != nil && needed.contains(.ndcg) {
                lc.consentingNdcgDefined = l.next(); lc.consentingNdcg = l.next()
                lc.optedOutNdcgDefined = l.next(); lc.optedOutNdcg = l.next()
                lc.optedOutServed = l.next(); lc.optedOutCost = l.next()
            }
            l.consent = lc
        }
        return l
    }

    /// A row of one user's values, written only at the layout's positions (each checked against the width).
    package struct Row {
        package let values: UnsafeMutableBufferPointer<Double>

        @inline(__always)
        package func set(_ index: Int?, _ value: Double) {
            guard let index else { return }
            precondition(index > 0 && index < values.count, "Audit column outside the layout")
            values[index] = value
        }

        @inline(__always)
        package func set(_ index: Int?, _ flag: Bool) { set(index, flag ? 1 : 0) }
    }

    package static func fill(_ c: Columns, _ l: Layout, offers: Int, user u: Int, into buffer: UnsafeMutableBufferPointer<Double>) {
        precondition(buffer.count == l.width, "Row width differs from the layout")
        let row = Row(values: buffer)
        buffer.update(repeating: 0)
        buffer[0] = 1
        for o in 0..<offers {
            let lo = l.offers[o], at = u * offers + o
            row.set(lo.targeted, c.targeted[at])
            if let interested = c.interested {
                row.set(lo.interested, interested[at])
                row.set(lo.truePositive, interested[at] && c.targeted[at])
            }
            if let t = c.truthSelected { row.set(lo.truthSelected, t[at]) }
            if let t = c.observedSelected { row.set(lo.observedSelected, t[at]) }
            if let e = c.exposed, let p = c.position {
                row.set(lo.exposed, e[at])
                row.set(lo.position, Double(p[at]))
            }
        }
        if let ndcg = c.ndcg, !ndcg[u].isNaN {
            row.set(l.ndcgDefined, 1.0)
            row.set(l.ndcg, Double(ndcg[u]))
        }
        for (w, world) in c.worlds.enumerated() where world.affected[u] {
            let lw = l.worlds[w]
            row.set(lw.affected, 1.0)
            if let j = world.jaccard { row.set(lw.jaccard, Double(j[u])) }
            for o in 0..<offers {
                let wo = lw.offers[o], at = u * offers + o
                let before = c.targeted[at], after = world.twinTargeted[at]
                row.set(wo.up, !before && after)
                row.set(wo.down, before && !after)
                row.set(wo.delta, Double(world.delta[at]))
                if let e = c.exposed, let te = world.twinExposed {
                    row.set(wo.exposureUp, !e[at] && te[at])
                    row.set(wo.exposureDown, e[at] && !te[at])
                }
            }
        }
        if let lc = l.consent, let consenting = c.consenting {
            let yes = consenting[u]
            row.set(lc.consenting, yes)
            row.set(lc.optedOut, !yes)
            if yes {
                for o in 0..<offers {
                    let co = lc.offers[o], at = u * offers + o
                    row.set(co.targeted, c.targeted[at])
                    if let interested = c.interested {
                        row.set(co.interested, interested[at])
                        row.set(co.truePositive, interested[at] && c.targeted[at])
                    }
                }
            }
            if let ndcg = c.ndcg, !ndcg[u].isNaN {
                let personal = Double(ndcg[u])
                if yes {
                    row.set(lc.consentingNdcgDefined, 1.0)
                    row.set(lc.consentingNdcg, personal)
                } else {
                    let served = c.servedNdcg.map { Double($0[u]) } ?? personal
                    row.set(lc.optedOutNdcgDefined, 1.0)
                    row.set(lc.optedOutNdcg, personal)
                    row.set(lc.optedOutServed, served)
                    row.set(lc.optedOutCost, personal - served)
                }
            }
        }
    }
}
