import Audit
import Foundation
import TestSupport
import Testing

/// One oracle case computed by Fairlearn 0.15.0 and AIF360 0.6.1 (`Fixtures/make_fixtures.py`).
struct OracleCase: Decodable, CustomTestStringConvertible {
    var name: String
    var groups: [String]
    var y_true: [Int]
    var y_pred: [Int]
    var privileged: String
    var fairlearn: [String: OracleValue]
    var aif360: [String: Double]

    var testDescription: String { name }

    enum OracleValue: Decodable {
        case number(Double)
        case table([String: [String: Double]])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .number(d) } else {
                self = .table(try c.decode([String: [String: Double]].self))
            }
        }

        var number: Double? { if case .number(let d) = self { d } else { nil } }
    }

    /// Level names in first-appearance order, each row's level, and the metrics.
    var metrics: (levels: [String], metrics: BinaryGroupMetrics, privileged: Int) {
        var levels: [String] = []
        for g in groups where !levels.contains(g) { levels.append(g) }
        let index = groups.map { levels.firstIndex(of: $0)! }
        let m = BinaryGroupMetrics(groups: index, levels: levels.count, truth: y_true.map { $0 == 1 },
                                   decisions: y_pred.map { $0 == 1 })
        return (levels, m, levels.firstIndex(of: privileged)!)
    }
}

struct OracleFile: Decodable {
    var fairlearn: String
    var aif360: String
    var cases: [OracleCase]
}

let oracle: OracleFile = {
    let url = URL(fileURLWithPath: repositoryRoot + "/Tests/AuditTests/Fixtures/group-metrics.json")
    return try! JSONDecoder().decode(OracleFile.self, from: Data(contentsOf: url))
}()

@Suite("Group metrics against Fairlearn and AIF360")
struct GroupMetricsTests {
    @Test("The oracle fixtures were computed by the versions REFERENCE.md names")
    func versions() {
        #expect(oracle.fairlearn == "0.15.0")
        #expect(oracle.aif360 == "0.6.1")
        #expect(oracle.cases.count == 6)
    }

    @Test("Fairlearn's symmetric metrics, both methods and aggregations, to 1e-9", arguments: oracle.cases)
    func fairlearn(_ c: OracleCase) throws {
        let m = c.metrics.metrics
        func check(_ key: String, _ value: Double?) {
            let expected = c.fairlearn[key]!.number!
            #expect(value != nil && abs(value! - expected) < 1e-9, "\(key): \(String(describing: value)) vs \(expected)")
        }
        for method in BinaryGroupMetrics.Method.allCases {
            let suffix = method.rawValue
            check("demographic_parity_difference/\(suffix)", m.difference(.selectionRate, method: method))
            check("demographic_parity_ratio/\(suffix)", m.ratio(.selectionRate, method: method))
            check("equal_opportunity_difference/\(suffix)", m.difference(.truePositiveRate, method: method))
            check("equal_opportunity_ratio/\(suffix)", m.ratio(.truePositiveRate, method: method))
            for agg in BinaryGroupMetrics.Aggregation.allCases {
                check("equalized_odds_difference/\(suffix)/\(agg.rawValue)",
                      m.equalizedOddsDifference(method: method, aggregation: agg))
                check("equalized_odds_ratio/\(suffix)/\(agg.rawValue)",
                      m.equalizedOddsRatio(method: method, aggregation: agg))
            }
        }
        guard case .table(let byGroup) = c.fairlearn["by_group"]! else { Issue.record("no by_group"); return }
        for (l, level) in c.metrics.levels.enumerated() {
            let g = m.groups[l]
            #expect(abs(g.value(.selectionRate)! - byGroup[level]!["selection_rate"]!) < 1e-9)
            #expect(abs(g.value(.truePositiveRate)! - byGroup[level]!["tpr"]!) < 1e-9)
            #expect(abs(g.value(.falsePositiveRate)! - byGroup[level]!["fpr"]!) < 1e-9)
        }
    }

    @Test("AIF360's directional metrics (privileged vs everyone else), to 1e-9", arguments: oracle.cases)
    func aif360(_ c: OracleCase) throws {
        let (_, m, p) = c.metrics
        let pairs: [(String, Double?)] = [
            ("statistical_parity_difference", m.directionalDifference(.selectionRate, privileged: p)),
            ("disparate_impact_ratio", m.directionalRatio(.selectionRate, privileged: p)),
            ("equal_opportunity_difference", m.directionalDifference(.truePositiveRate, privileged: p)),
            ("average_odds_difference", m.averageOddsDifference(privileged: p)),
        ]
        for (key, value) in pairs {
            let expected = c.aif360[key]!
            #expect(value != nil && abs(value! - expected) < 1e-9, "\(key): \(String(describing: value)) vs \(expected)")
        }
    }

    @Test("REFERENCE Ex. 1 and Ex. 2 figures, as printed")
    func referenceFigures() {
        let ex1 = oracle.cases[0].metrics.metrics
        #expect(abs(ex1.difference(.selectionRate)! - 1.0 / 6) < 1e-12)
        #expect(abs(ex1.ratio(.selectionRate)! - 2.0 / 3) < 1e-12)
        #expect(abs(ex1.difference(.selectionRate, method: .toOverall)! - 1.0 / 12) < 1e-12)
        #expect(abs(ex1.equalizedOddsDifference()! - 1.0 / 6) < 1e-12)
        #expect(abs(ex1.equalizedOddsDifference(aggregation: .mean)! - 0.125) < 1e-12)
        #expect(abs(ex1.equalizedOddsRatio()! - 0.75) < 1e-12)
        #expect(abs(ex1.directionalDifference(.selectionRate, privileged: 0)! + 1.0 / 6) < 1e-12)
        let ex2 = oracle.cases[1].metrics
        #expect(abs(ex2.metrics.difference(.selectionRate)! - 0.75) < 1e-12)
        #expect(abs(ex2.metrics.difference(.falsePositiveRate)! - 0.5) < 1e-12)
        #expect(abs(ex2.metrics.difference(.truePositiveRate, method: .toOverall)! - 0.6) < 1e-12)
        #expect(ex2.metrics.ratio(.selectionRate) == 0)
        #expect(abs(ex2.metrics.directionalDifference(.selectionRate, privileged: ex2.privileged)! + 0.625) < 1e-12)
    }

    @Test("Undefined rates are nil with their counts, never 0")
    func undefinedRates() {
        // Group 1 has no positives: its TPR is undefined; Fairlearn and AIF360 would report 0.
        let m = BinaryGroupMetrics(groups: [0, 0, 1, 1], levels: 2, truth: [true, false, false, false],
                                   decisions: [true, false, true, false])
        #expect(m.groups[1].value(.truePositiveRate) == nil)
        #expect(m.groups[1].fraction(.truePositiveRate) == (0, 0))
        #expect(m.difference(.truePositiveRate) == nil)
        #expect(m.equalizedOddsDifference() == nil)
        #expect(m.difference(.selectionRate) == 0)
        // No group selected: the ratio 0/0 is undefined.
        let none = BinaryGroupMetrics(groups: [0, 1], levels: 2, truth: [true, true], decisions: [false, false])
        #expect(none.ratio(.selectionRate) == nil)
        #expect(none.directionalRatio(.selectionRate, privileged: 0) == nil)
    }
}
