import Audit
import FileSupport
import Linear

/// `decisions.csv`: one row per user with the protected attributes and, per offer, the factual score and
/// targeting decision and, for every counterfactual world, the twin's score and targeting decision.
///
/// Column names: `user_id`, the attributes, `eligible_for_personalisation` when the world has a consent attribute
/// (0: the user opted out and may not be targeted with personalised offers — their scores below are what the
/// model would give them, which the audit measures), then `<offer>.score`, `<offer>.targeted` and
/// `<offer>.twin_score[<world>]`, `<offer>.twin_targeted[<world>]` with worlds written `gender=male`,
/// `naive:gender=male` or `gender=male|keep:income`. Users whose attribute already has the world's level are
/// their own twins.
struct DecisionsTable: Sendable {
    let result: AuditResult
    let data: AuditData

    static func worldLabel(_ w: CounterfactualWorld, _ attributes: [Grouping]) -> String {
        let a = "\(attributes[w.attribute].name)=\(attributes[w.attribute].levels[w.level])"
        switch w.kind {
        case .total: return a
        case .naive: return "naive:" + a
        case .pathSpecific: return a + "|keep:" + w.kept.joined(separator: "+")
        }
    }

    var header: String {
        var columns = ["user_id"] + data.attributes.map(\.name)
        if data.privacy?.consent != nil { columns.append("eligible_for_personalisation") }
        let worlds = data.counterfactuals.map { Self.worldLabel($0, data.attributes) }
        for offer in data.offers {
            columns += ["\(offer).score", "\(offer).targeted"]
            for w in worlds { columns += ["\(offer).twin_score[\(w)]", "\(offer).twin_targeted[\(w)]"] }
        }
        return columns.map(CSVField.encode).joined(separator: ",") + "\n"
    }

    /// Rows formatted per chunk on several threads, written in order (the bytes never depend on `threads`).
    func write(to file: OutputFile, threads: Int = 1) throws(FairgroundError) {
        try file.write(header)
        let chunk = 2048
        let chunks = (data.users + chunk - 1) / chunk
        let batch = max(1, threads) * 4
        var start = 0
        while start < chunks {
            let first = start, count = min(batch, chunks - start)
            let parts = ParallelBlocks.map(count: count, threads: threads) { c in
                let lo = (first + c) * chunk
                return format(rows: lo..<min(lo + chunk, data.users))
            }
            for part in parts { try file.write(part) }
            start += count
        }
    }

    func format(rows: Range<Int>) -> [UInt8] {
        let offers = data.offers.count
        var buffer: [UInt8] = []
        buffer.reserveCapacity(rows.count * 64 * (1 + data.counterfactuals.count))
        for u in rows {
            var line = String(data.userIDs[u])
            for a in data.attributes { line += "," + CSVField.encode(a.levels[Int(a.membership[u])]) }
            if let consent = data.privacy?.consent { line += consent[u] ? ",1" : ",0" }
            for o in 0..<offers {
                let at = u * offers + o
                line += "," + data.scores[at].description + (result.targeted[at] ? ",1" : ",0")
                for (w, world) in data.counterfactuals.enumerated() {
                    line += "," + world.scores[at].description + (result.twinTargeted[w][at] ? ",1" : ",0")
                }
            }
            line += "\n"
            buffer.append(contentsOf: line.utf8)
        }
        return buffer
    }
}
