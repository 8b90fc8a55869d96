#if canImport(Glibc)
internal import Glibc
#endif

/// The area under the ROC curve of scores for a binary label (the probability that a random positive scores above
/// a random negative, ties counting half — the Mann–Whitney statistic, as scikit-learn's `roc_auc_score`), with
/// DeLong's variance: `V10`/`V01` structural components from mid-ranks, O(n log n).
package struct ReceiverOperatingCurve: Sendable {
    /// The area.
    package var area: Double
    /// DeLong's standard error of the area.
    package var standardError: Double
    /// Positives and negatives.
    package var positives: Int, negatives: Int

    /// `nil` unless both classes are present.
    package init?(scores: [Double], labels: [Bool]) {
        let m = labels.filter { $0 }.count, n = labels.count - m
        guard m > 0, n > 0 else { return nil }
        let all = Self.midranks(scores)
        let positiveScores = zip(scores, labels).filter { $0.1 }.map(\.0)
        let negativeScores = zip(scores, labels).filter { !$0.1 }.map(\.0)
        let withinPositives = Self.midranks(positiveScores), withinNegatives = Self.midranks(negativeScores)
        var v10: [Double] = [], v01: [Double] = []
        var p = 0, q = 0
        for i in scores.indices {
            if labels[i] {
                v10.append((all[i] - withinPositives[p]) / Double(n))  // share of negatives below, ties half
                p += 1
            } else {
                v01.append(1 - (all[i] - withinNegatives[q]) / Double(m))  // share of positives above, ties half
                q += 1
            }
        }
        let auc = v10.reduce(0, +) / Double(m)
        func variance(_ v: [Double]) -> Double {
            guard v.count > 1 else { return 0 }
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        area = auc
        standardError = (variance(v10) / Double(m) + variance(v01) / Double(n)).squareRoot()
        positives = m
        negatives = n
    }

    /// 1-based mid-ranks (ties share the mean of their ranks).
    package static func midranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var ranks = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for t in i...j { ranks[order[t]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// A two-sided interval at `level` on the logit scale (so it stays inside (0, 1) and always contains the
    /// area); the plain normal interval clipped to [0, 1] when the area is 0 or 1.
    package func interval(level: Double) -> (low: Double, high: Double) {
        let b = Self.interval(area: area, error: standardError, level: level)
        return (b.lower, b.upper)
    }

    /// The logit-scale interval of an area with standard error `error`, containing the area.
    package static func interval(area: Double, error: Double, level: Double) -> (lower: Double, upper: Double) {
        let z = Significance.normalQuantile(0.5 + level / 2)
        guard area > 0, area < 1, error > 0 else {
            return (max(0, min(area, area - z * error)), min(1, max(area, area + z * error)))
        }
        let logit = log(area / (1 - area)), se = error / (area * (1 - area))
        func back(_ t: Double) -> Double { 1 / (1 + exp(-t)) }
        return (min(area, back(logit - z * se)), max(area, back(logit + z * se)))
    }

    /// The one-sided p-value of "the scores reveal nothing" (area 0.5) against "they reveal the label"
    /// (area above 0.5), from DeLong's standard error.
    package var pValue: Double {
        guard standardError > 0 else { return area > 0.5 ? 0 : 1 }
        return 1 - Significance.normalCDF((area - 0.5) / standardError)
    }
}
