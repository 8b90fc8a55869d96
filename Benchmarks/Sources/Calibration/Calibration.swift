// Calibration and power of the audit's tests and verdicts, for `Benchmarks/run-calibration.sh`.
//
//   Calibration SPEC USERS SEEDS [FINDING_ID ...]
//   Calibration --equivalence RATIO USERS SEEDS
//
// For seeds 1…SEEDS: generate the spec's world with that seed, train the default implicit ALS model (48 factors)
// on it, audit it with exact twins for every protected level (100 bootstrap replicates, audit seed =
// seed) and record whether any finding is material (the test rejects and the estimate is beyond its materiality
// threshold) and whether any test rejects at all (material or small). On a null scenario the first share is the
// audit's family-wise rate of material false alarms, which must stay at or below α = 0.05; the share of raw
// p-values below 0.05 shows whether each test alone is calibrated. Named findings (e.g. a planted effect's) get
// their power: the share of seeds where the test rejects, and where the finding is material.
//
// `--equivalence RATIO`: the error rate of the verdict "none" (no material gap) when the true selection-rate
// ratio is RATIO, beyond the four-fifths band: two equal groups, scores drawn so that a fixed score threshold
// selects 10% of one group and RATIO × 10% of the other (the truth is known exactly, no model involved); the
// share of seeds whose demographic_parity_ratio or _difference is judged "none" must stay at or below α. Each
// line printed is JSON.
import Audit
import AuditSubjects
import Foundation
import Linear
import Population
import Recommender

let arguments = CommandLine.arguments
if arguments.count > 1 && arguments[1] == "--equivalence" {
    guard arguments.count == 5, let ratio = Double(arguments[2]), let n = Int(arguments[3]),
          let runs = Int(arguments[4]) else {
        print("usage: Calibration --equivalence RATIO USERS SEEDS")
        exit(2)
    }
    equivalence(ratio: ratio, users: n, seeds: runs)
    exit(0)
}
guard arguments.count >= 4, let users = Int(arguments[2]), let seeds = Int(arguments[3]) else {
    print("usage: Calibration SPEC USERS SEEDS [FINDING_ID ...] | Calibration --equivalence RATIO USERS SEEDS")
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

/// The "none" verdict's error rate at a known true ratio beyond the band (see the header).
func equivalence(ratio: Double, users: Int, seeds: Int) {
    var wrong = [MetricID: Int](), verdicts = [String: Int]()
    let metrics: [MetricID] = [.demographicParityRatio, .demographicParityDifference]
    for seed in 1...seeds {
        var random = SplitMix(seed: UInt64(seed) &* 0x9E37_79B9)
        // Group a: U(0, 1), 10% above 0.9. Group b: U(0, 1) − δ, ratio × 10% above 0.9.
        let delta = 0.1 * (1 - ratio)
        let scores = (0..<users).map { u in Float(random.uniform() - (u % 2 == 1 ? delta : 0)) }
        let group = Grouping(name: "g", levels: ["a", "b"], membership: (0..<users).map { Int32($0 % 2) })
        let data = AuditData(userIDs: Array(0..<users), attributes: [group], offers: ["offer"], scores: scores)
        var configuration = AuditConfiguration()
        configuration.decisionRules = [OfferRule(offer: "offer", rule: .scoreThreshold(0.9))]
        configuration.bootstrapReplicates = 20
        configuration.seed = UInt64(seed)
        let report = try! FairnessAudit.run(data, configuration: configuration).report
        for f in report.findings where metrics.contains(f.metric) {
            verdicts["\(f.metric.name): \(f.verdict.rawValue)", default: 0] += 1
            if f.verdict == .noMaterialGap { wrong[f.metric, default: 0] += 1 }
        }
    }
    var summary: [String: Any] = ["true_ratio": ratio, "users": users, "seeds": seeds, "verdicts": verdicts]
    for m in metrics {
        let k = wrong[m] ?? 0
        let (lo, hi) = clopperPearson(k, seeds)
        summary["none_error_rate: " + m.name] = ["rate": Double(k) / Double(seeds), "ci95": [lo, hi]]
    }
    print(String(decoding: try! JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
}

/// SplitMix64: a small seeded generator for the synthetic scores.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

var anyMaterial = 0, anyRejection = 0, rawRejections = 0, rawTests = 0, findingsTotal = 0
var power = [String: Int](), materialPower = [String: Int]()
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
    let material = report.findings.filter { $0.verdict == .material }.map(\.id)
    let rejected = report.findings.filter { $0.verdict == .material || $0.verdict == .small }.map(\.id)
    if !material.isEmpty { anyMaterial += 1 }
    if !rejected.isEmpty { anyRejection += 1 }
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
    for id in watched where rejected.contains(id) { power[id, default: 0] += 1 }
    for id in watched where material.contains(id) { materialPower[id, default: 0] += 1 }
    let line: [String: Any] = ["seed": seed, "material": material, "rejected": rejected, "tests": report.tests]
    print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
}
let (lo, hi) = clopperPearson(anyMaterial, seeds)
let (jlo, jhi) = clopperPearson(anyRejection, seeds)
let (rlo, rhi) = clopperPearson(rawRejections, rawTests)
var summary: [String: Any] = [
    "spec": spec.name, "users": users, "seeds": seeds, "audits_with_any_material": anyMaterial,
    "material_family_wise_rate": Double(anyMaterial) / Double(seeds), "material_family_wise_rate_ci95": [lo, hi],
    "audits_with_any_rejection": anyRejection,
    "rejection_family_wise_rate": Double(anyRejection) / Double(seeds), "rejection_family_wise_rate_ci95": [jlo, jhi],
    "raw_tests": rawTests, "raw_rejection_rate": Double(rawRejections) / Double(max(rawTests, 1)),
    "raw_rejection_rate_ci95": [rlo, rhi],
    "seconds": Double((clock.now - start).components.seconds),
]
for id in watched {
    let k = power[id] ?? 0, m = materialPower[id] ?? 0
    let (plo, phi) = clopperPearson(k, seeds), (mlo, mhi) = clopperPearson(m, seeds)
    summary["power: " + id] = ["rejected": Double(k) / Double(seeds), "rejected_ci95": [plo, phi],
                               "material": Double(m) / Double(seeds), "material_ci95": [mlo, mhi]]
}
print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
