import Foundation
import Testing

/// The walk-through-02 case (issue 24, point 1): the report said the data widen and the model narrows a gap whose
/// direction it never stated, where a direct count showed true interest favouring men and the model women. The
/// signed attribution is checked here against a direct count from the files the audit wrote.
extension CommandLineTests {
    /// Checks the attribution of `offer` by `attribute` in `report/report.json` against a direct count: the model's
    /// selection shares per group from `report/decisions.csv`, and the top users by true interest (as many as the
    /// model targeted) from the world's `truth.csv`. Returns the direct counts (model and truth gaps, oriented as the
    /// report orients them) for the caller to say what they show.
    @discardableResult
    func checkSignedAttribution(world: String, report: String, offer: String, attribute: String) throws
        -> (model: Double, truth: Double)
    {
        let json = try JSONSerialization.jsonObject(with: Data(try read(report + "/report.json").utf8)) as? [String: Any]
        let entries = json?["attribution"] as? [[String: Any]] ?? []
        let entry = try #require(entries.first { $0["offer"] as? String == offer && $0["attribute"] as? String == attribute })
        let orientation = try #require(entry["orientation"] as? [String])
        func value(_ key: String) -> Double? { (entry[key] as? [String: Any])?["value"] as? Double }
        // decisions.csv: the group and the model's decision per user.
        let decisions = try read(report + "/decisions.csv").split(separator: "\n")
        let header = decisions[0].split(separator: ",").map(String.init)
        let groupColumn = try #require(header.firstIndex(of: attribute))
        let targetedColumn = try #require(header.firstIndex(of: offer + ".targeted"))
        var group: [String] = [], targeted: [Bool] = []
        for line in decisions.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            group.append(String(cells[groupColumn]))
            targeted.append(cells[targetedColumn] == "1")
        }
        func shares(_ selected: [Bool]) -> (Double, Double) {
            func share(_ g: String) -> Double {
                let members = group.indices.filter { group[$0] == g }
                return Double(members.filter { selected[$0] }.count) / Double(members.count)
            }
            return (share(orientation[0]), share(orientation[1]))
        }
        let model = shares(targeted)
        // truth.csv: user_id, then one column per offer, rows in user order.
        let truthLines = try read(world + "/truth.csv").split(separator: "\n")
        let truthColumn = try #require(truthLines[0].split(separator: ",").map(String.init).firstIndex(of: offer))
        let truth = truthLines.dropFirst().map { Double($0.split(separator: ",")[truthColumn])! }
        let k = targeted.filter { $0 }.count
        let top = Set(truth.indices.sorted { truth[$0] > truth[$1] }.prefix(k))
        let byTruth = shares(truth.indices.map { top.contains($0) })
        #expect(abs(value("model_gap")! - (model.0 - model.1)) < 1e-9, "model gap \(value("model_gap")!) vs \(model)")
        #expect(model.0 >= model.1, "the orientation's first group is the one the model favours")
        // Ties in true interest at the cut-off are broken by the audit's seeded key: allow a few users' worth.
        #expect(abs(value("truth_gap")! - (byTruth.0 - byTruth.1)) < 2e-3, "truth gap \(value("truth_gap")!) vs \(byTruth)")
        return (model.0 - model.1, byTruth.0 - byTruth.1)
    }
}
