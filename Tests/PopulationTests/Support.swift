import FileSupport
import Population
import TestSupport

/// A dataset spec from `datasets/`.
func dataset(_ name: String) throws -> PopulationSpec {
    try PopulationSpec.load(path: "\(repositoryRoot)/datasets/\(name).yaml")
}

/// Parses spec text and returns the error it raises, or nil.
func specError(_ text: String) -> FairgroundError? {
    do {
        let spec = try PopulationSpec.parse(text, file: "test.yaml")
        _ = try Generator(spec: spec)
        return nil
    } catch { return error }
}

/// A minimal valid spec with the given extra sections appended.
func minimalSpec(_ extra: String = "", attributes: String? = nil) -> String {
    """
    version: 1
    name: t
    users: 100
    attributes:
    \(attributes ?? """
      gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
      income: {type: numeric, distribution: lognormal, mu: 10, sigma: 0.5}
      flag: {type: boolean, p: 0.3}
    """)
    \(extra)
    """
}

/// The mean and its standard error.
func meanAndError(_ xs: [Double]) -> (mean: Double, se: Double) {
    let n = Double(xs.count)
    let mean = xs.reduce(0, +) / n
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, (variance / n).squareRoot())
}

/// Average ranks (ties share their mean rank).
func ranks(_ xs: [Double]) -> [Double] {
    let order = xs.indices.sorted { xs[$0] < xs[$1] }
    var r = [Double](repeating: 0, count: xs.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && xs[order[j + 1]] == xs[order[i]] { j += 1 }
        for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
        i = j + 1
    }
    return r
}

/// Pearson correlation.
func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
        syy += (y[i] - my) * (y[i] - my)
    }
    return sxy / (sxx * syy).squareRoot()
}
