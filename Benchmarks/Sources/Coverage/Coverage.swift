// Coverage of the audit's intervals against the truth, and calibration of the gate, for
// `Benchmarks/run-coverage.sh`.
//
//   Coverage SPEC SEEDS SIZES TRUTH_USERS [--null]
//
// One world seed, one fixed model: implicit ALS (16 factors, 8 sweeps) trained on users 0..<20,000. The truth of
// every finding is its value on TRUTH_USERS further users of the same world (users 10⁸…), or with --null the value
// a null world has by design (every gap 0, every ratio 1, no twin flips). Then for each size in SIZES and each of
// SEEDS disjoint user ranges (users 2·10⁸ + s·size…), the audit's 95% intervals and its simultaneous intervals are
// checked against that truth, per metric, and a policy at tight bounds (demographic parity difference ≤ 0.005,
// ratio ≥ 0.99, equalized odds difference ≤ 0.005, every offer and attribute) is evaluated: on a null world the
// share of audits where it is violated with evidence is the gate's false-alarm rate. Each line printed is JSON;
// the last ones are Markdown table rows.
import Audit
import AuditSubjects
import Pipeline
import Foundation
import Linear
import Population
import Recommender

let arguments = CommandLine.arguments
guard arguments.count >= 5, let seeds = Int(arguments[2]), let truthUsers = Int(arguments[4]) else {
    print("usage: Coverage SPEC SEEDS SIZES TRUTH_USERS [--null]")
    exit(2)
}
let sizes = arguments[3].split(separator: ",").compactMap { Int($0) }
let null = arguments.contains("--null")
let spec = try PopulationSpec.load(path: arguments[1])
let generator = try Generator(spec: spec, seed: 7)
let scratch = NSTemporaryDirectory() + "fairground-coverage-\(getpid())"
let threads = 2
let clock = ContinuousClock()
let start = clock.now

/// Audits users `range` of the world with the fixed model.
func audit(_ range: Range<Int>, model: FactorModel, replicates: Int, seed: UInt64) throws -> AuditReport {
    let world = generator.generate(users: range, threads: threads)
    let directory = scratch + "/\(range.lowerBound)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // The audit reads only the manifest; the world itself is handed over in memory.
    let manifest = Manifest(world: world, repairCorrelations: false, files: [])
    try Data(try manifest.jsonData()).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
    var modelAudit = try ModelAudit(directory: directory, model: model)
    modelAudit.factualWorld = world
    modelAudit.naive = false
    let data = try modelAudit.data(threads: threads)
    try? FileManager.default.removeItem(atPath: directory)
    var configuration = AuditConfiguration()
    configuration.bootstrapReplicates = replicates
    configuration.seed = seed
    return try FairnessAudit.run(data, configuration: configuration, threads: threads).report
}

/// Every interval of a report, by id: the findings' (per-finding and simultaneous) and the attribution's gaps.
func intervals(_ report: AuditReport) -> [(id: String, family: String, estimate: Estimate, simultaneous: Estimate?)] {
    var result: [(id: String, family: String, estimate: Estimate, simultaneous: Estimate?)] =
        report.findings.map { ($0.id, $0.metric.name, $0.estimate, $0.simultaneous) }
    for a in report.attribution {
        let prefix = "attribution/\(a.offer)/\(a.attribute)/"
        // Two-group gaps are signed by the group the model favours in this sample; compare them in one fixed
        // orientation (the pair in name order), so a sample that orients the other way is negated, not missed.
        let flip = a.orientation.map { $0.count == 2 && $0[0] > $0[1] } ?? false
        func oriented(_ e: Estimate) -> Estimate {
            guard flip else { return e }
            return Estimate(value: e.value.map { -$0 }, lower: e.upper.map { -$0 }, upper: e.lower.map { -$0 })
        }
        result += [(prefix + "truth_gap", "attribution truth_gap", oriented(a.truthGap), nil),
                   (prefix + "observed_gap", "attribution observed_gap", oriented(a.observedGap), nil),
                   (prefix + "model_gap", "attribution model_gap", oriented(a.modelGap), nil),
                   (prefix + "added_by_data", "attribution added_by_data", oriented(a.addedByData), nil),
                   (prefix + "added_by_model", "attribution added_by_model", oriented(a.addedByModel), nil)]
    }
    return result
}

/// A null world's value of a metric by design (`nil`: not fixed by design).
func designValue(_ family: String) -> Double? {
    if family.hasPrefix("attribution") { return 0 }
    guard let d = MetricDescriptor.named(family) else { return nil }
    switch d.direction {
    case .lowerIsWorse, .furtherFromOneIsWorse: return 1
    default: return 0
    }
}

var training = ALSConfiguration()
training.factors = 16
training.iterations = 8
training.seed = 7
let model = try ImplicitALS(configuration: training)
    .train(generator.generate(users: 0..<20_000, threads: threads).interactionData(), threads: threads).model

let truthReport = try audit(100_000_000..<(100_000_000 + truthUsers), model: model, replicates: 20, seed: 1)
var truth: [String: Double] = [:]
for entry in intervals(truthReport) {
    if null, let v = designValue(entry.family) { truth[entry.id] = v } else if let v = entry.estimate.value {
        truth[entry.id] = v
    }
}
let headline = truthReport.findings.filter { $0.metric == .demographicParityDifference }
    .map { "\($0.id): \($0.estimate.value.map { String(format: "%.4f", $0) } ?? "undefined")" }
print(#"{"truth_users": \#(truthUsers), "truth_seconds": \#((clock.now - start).components.seconds), "#
      + #""demographic_parity_difference": "\#(headline.joined(separator: "; "))"}"#)

let policy = try Policy.parse("""
    version: 1
    rules:
      - {name: parity difference, metric: demographic_parity_difference, at_most: 0.005}
      - {name: parity ratio, metric: demographic_parity_ratio, at_least: 0.99}
      - {name: equalized odds, metric: equalized_odds_difference, at_most: 0.005}
    """, file: "coverage policy")

struct Tally { var intervals = 0, covered = 0, simultaneous = 0, simultaneousCovered = 0, undefined = 0 }
var rows: [String] = []
for size in sizes {
    var tally: [String: Tally] = [:]
    var violated = 0, anyDisparity = 0, familyMiss = 0
    for s in 0..<seeds {
        let lower = 200_000_000 + s * size
        let report = try audit(lower..<(lower + size), model: model, replicates: 100, seed: UInt64(s + 1))
        var missed = false
        for entry in intervals(report) {
            guard let t = truth[entry.id] else { continue }
            guard let lo = entry.estimate.lower, let hi = entry.estimate.upper else {
                tally[entry.family, default: Tally()].undefined += 1
                continue
            }
            tally[entry.family, default: Tally()].intervals += 1
            if lo <= t + 1e-12 && t <= hi + 1e-12 { tally[entry.family, default: Tally()].covered += 1 }
            if let sim = entry.simultaneous, let slo = sim.lower, let shi = sim.upper {
                tally[entry.family, default: Tally()].simultaneous += 1
                if slo <= t + 1e-12 && t <= shi + 1e-12 {
                    tally[entry.family, default: Tally()].simultaneousCovered += 1
                } else { missed = true }
            }
        }
        if missed { familyMiss += 1 }
        if !report.materialFindings.isEmpty { anyDisparity += 1 }
        let outcomes = try policy.evaluate(report)
        if outcomes.contains(where: { $0.status == .violated }) { violated += 1 }
    }
    for (family, t) in tally.sorted(by: { $0.key < $1.key }) {
        let share = Double(t.covered) / Double(max(t.intervals, 1))
        let simShare = Double(t.simultaneousCovered) / Double(max(t.simultaneous, 1))
        rows.append("| \(family) | \(size) | \(t.intervals) | \(String(format: "%.1f%%", 100 * share)) | "
                    + (t.simultaneous > 0 ? String(format: "%.1f%%", 100 * simShare) : "—") + " | \(t.undefined) |")
        print(#"{"size": \#(size), "metric": "\#(family)", "intervals": \#(t.intervals), "coverage": \#(share), "#
              + #""simultaneous_coverage": \#(simShare), "undefined": \#(t.undefined)}"#)
    }
    print(#"{"size": \#(size), "seeds": \#(seeds), "policy_violated_with_evidence": \#(violated), "#
          + #""audits_with_any_disparity": \#(anyDisparity), "audits_with_a_simultaneous_miss": \#(familyMiss), "#
          + #""seconds": \#((clock.now - start).components.seconds)}"#)
    rows.append("| **gate: policy violated with evidence** | \(size) | \(seeds) audits | "
                + "\(violated) (\(String(format: "%.1f%%", 100 * Double(violated) / Double(seeds)))) | "
                + "any simultaneous miss: \(familyMiss) | any disparity: \(anyDisparity) |")
}
print("| metric | users | intervals | 95% coverage | simultaneous coverage | undefined |")
print("|---|---:|---:|---:|---:|---:|")
for row in rows { print(row) }
