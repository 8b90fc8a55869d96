// Calibration and power of the audit's tests, for `Benchmarks/run-calibration.sh`.
//
//   Calibration SPEC USERS SEEDS [FINDING_ID ...]
//
// For seeds 1…SEEDS: generate the spec's world with that seed, train the default implicit ALS model (48 factors)
// on it, audit it with exact twins for every protected level (100 bootstrap replicates, audit seed =
// seed) and record whether any finding is a disparity. On a null scenario that share is the audit's family-wise
// false-alarm rate, which Holm's correction should hold at or below α = 0.05; the share of raw p-values below
// 0.05 shows whether each test alone is calibrated. Named findings (e.g. a planted effect's) get their power:
// the share of seeds where they are a disparity. Each line printed is JSON.
import Audit
import Foundation
import Linear
import Population
import Recommender

let arguments = CommandLine.arguments
guard arguments.count >= 4, let users = Int(arguments[2]), let seeds = Int(arguments[3]) else {
    print("usage: Calibration SPEC USERS SEEDS [FINDING_ID ...]")
    exit(2)
}
let watched = Array(arguments.dropFirst(4))
var spec = try PopulationSpec.load(path: arguments[1])
spec.users = users
let scratch = NSTemporaryDirectory() + "fairground-calibration-\(getpid())"

/// Clopper–Pearson interval for k successes in n trials (bisection on the binomial tail).
func clopperPearson(_ k: Int, _ n: Int, level: Double = 0.95) -> (Double, Double) {
    func tail(_ p: Double, atLeast k: Int) -> Double {
        // P(X ≥ k), X ~ Binomial(n, p), summed in log space.
        guard k > 0 else { return 1 }
        var total = 0.0
        for i in k...n {
            total += exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
                         + Double(i) * log(p) + Double(n - i) * log1p(-p))
        }
        return total
    }
    func solve(_ f: (Double) -> Double, target: Double) -> Double {
        var lo = 0.0, hi = 1.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if f(mid) < target { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
    let a = (1 - level) / 2
    let lower = k == 0 ? 0 : solve({ tail($0, atLeast: k) }, target: a)
    // P(X ≥ k + 1) grows with p; the upper end is where it reaches 1 − a (i.e. P(X ≤ k) = a).
    let upper = k == n ? 1 : solve({ tail($0, atLeast: k + 1) }, target: 1 - a)
    return (lower, upper)
}

var anyDisparity = 0, rawRejections = 0, rawTests = 0, findingsTotal = 0
var power = [String: Int]()
let clock = ContinuousClock()
let start = clock.now
for seed in 1...seeds {
    let directory = scratch + "/\(seed)"
    let generator = try Generator(spec: spec, seed: UInt64(seed))
    let world = generator.generate(users: 0..<users, threads: 2)
    _ = try WorldWriter(threads: 2).write(world, to: directory, repairCorrelations: false)
    // The default model (48 factors): in worlds with genres a 16-factor model no longer carries a planted
    // attribute effect into its scores (it measured a 0.1-point gap where the data hold 4 points).
    var als = ALSConfiguration()
    als.seed = UInt64(seed)
    let model = try ImplicitALS(configuration: als).train(world.interactionData(), threads: 2).model
    let data = try ModelAudit(directory: directory, model: model).data(threads: 2)
    var configuration = AuditConfiguration()
    configuration.bootstrapReplicates = 100
    configuration.seed = UInt64(seed)
    let report = try FairnessAudit.run(data, configuration: configuration, threads: 2).report
    try? FileManager.default.removeItem(atPath: directory)
    let disparities = report.disparities.map(\.id)
    if !disparities.isEmpty { anyDisparity += 1 }
    // Raw p-values, one per distinct test (findings sharing a test share its p-value and id prefix).
    var seen = Set<String>()
    for f in report.findings {
        guard let p = f.pValue else { continue }
        let key = "\(f.view)|\(f.offer ?? "")|\(f.attribute)|\(f.world ?? "")|\(p)"
        if seen.insert(key).inserted {
            rawTests += 1
            if p < 0.05 { rawRejections += 1 }
        }
    }
    findingsTotal += report.findings.count
    for id in watched where disparities.contains(id) { power[id, default: 0] += 1 }
    let line: [String: Any] = ["seed": seed, "disparities": disparities, "tests": report.tests]
    print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
}
let (lo, hi) = clopperPearson(anyDisparity, seeds)
let (rlo, rhi) = clopperPearson(rawRejections, rawTests)
var summary: [String: Any] = [
    "spec": spec.name, "users": users, "seeds": seeds, "audits_with_any_disparity": anyDisparity,
    "family_wise_rate": Double(anyDisparity) / Double(seeds), "family_wise_rate_ci95": [lo, hi],
    "raw_tests": rawTests, "raw_rejection_rate": Double(rawRejections) / Double(max(rawTests, 1)),
    "raw_rejection_rate_ci95": [rlo, rhi],
    "seconds": Double((clock.now - start).components.seconds),
]
for id in watched {
    let k = power[id] ?? 0
    let (plo, phi) = clopperPearson(k, seeds)
    summary["power: " + id] = ["rate": Double(k) / Double(seeds), "ci95": [plo, phi]]
}
print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
