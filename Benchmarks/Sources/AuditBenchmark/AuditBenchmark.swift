// A full audit of a generated population, timed by stage, for `Benchmarks/run-audit.sh`.
//
//   AuditBenchmark SPEC USERS THREADS OUT [BOOTSTRAP]
//
// Generates and writes the world (not timed as audit), trains implicit ALS with the default configuration (48 factors since issue 10, 64 before) for 3 CG sweeps (the
// audit's cost does not depend on the model's quality), then times the audit: regenerating the factual world and
// one twin world per protected level, folding every changed user into the fixed model, scoring every offer and
// the top-10 lists over all items, the tests and bootstrap, and writing the five report files.
import Audit
import AuditSubjects
import Foundation
import Linear
import Population
import Recommender
import TrainingData
import Report

let arguments = CommandLine.arguments
guard arguments.count >= 5, let users = Int(arguments[2]), let threads = Int(arguments[3]) else {
    print("usage: AuditBenchmark SPEC USERS THREADS OUT [BOOTSTRAP]")
    exit(2)
}
let out = arguments[4]
let bootstrap = arguments.count > 5 ? Int(arguments[5])! : 200
let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

var spec = try PopulationSpec.load(path: arguments[1])
spec.users = users
let generator = try Generator(spec: spec)
let world = generator.generate(users: 0..<users, threads: threads)
_ = try WorldWriter(threads: threads).write(world, to: out + "/world", repairCorrelations: false)
var configuration = ALSConfiguration()
configuration.iterations = 3
// Trained as `fairground train` does: opted-out users left out when the spec has a consent attribute.
let model = try TrainingSelection().train(world.interactionData(), with: ImplicitALS(configuration: configuration),
                                          threads: threads).model
// FAIRGROUND_PRIVACY=auto|on|off sets the privacy view (default auto: on for specs with consent or sensitive traits).
let privacy = ProcessInfo.processInfo.environment["FAIRGROUND_PRIVACY"].flatMap(PrivacyMode.init(rawValue:)) ?? .auto

/// Stage timings.
final class Stages {
    var list: [(String, Double)] = []
    var last: ContinuousClock.Instant
    var current = "open"
    init(_ now: ContinuousClock.Instant) { last = now }
    func mark(_ name: String, _ now: ContinuousClock.Instant) {
        list.append((name, seconds(now - last)))
        last = now
    }
}
/// Runs the audit, recording each stage.
func audit(_ stages: Stages) throws -> (AuditData, AuditResult) {
    var modelAudit = try ModelAudit(directory: out + "/world", model: model)
    modelAudit.privacy = privacy
    let data = try modelAudit.data(threads: threads) { next in
        stages.mark(stages.current, clock.now)
        stages.current = next
    }
    stages.mark(stages.current, clock.now)
    var auditConfiguration = AuditConfiguration()
    auditConfiguration.bootstrapReplicates = bootstrap
    let result = try FairnessAudit.run(data, configuration: auditConfiguration, threads: threads)
    stages.mark("tests and bootstrap", clock.now)
    var writer = ReportWriter()
    writer.threads = threads
    try writer.write(result, data: data, to: out + "/report")
    stages.mark("write report", clock.now)
    return (data, result)
}
let start = clock.now
let stages = Stages(start)
let (data, result) = try audit(stages)
let total = seconds(clock.now - start)

// The cost of verifying the world's commit record on read. Opening the directory checks every file's size (all
// the audit does, as it reads only the manifest); reading its interactions as `train` and `split` do also checks
// the digest of interactions.mtx — compared with reading that file by its path, which verifies nothing.
var mark = clock.now
_ = try GeneratedDirectory(path: out + "/world")
let openDirectory = seconds(clock.now - mark)
// Three alternating pairs (the page cache favours whichever read comes second); medians reported.
var plain: [Double] = [], verified: [Double] = []
for _ in 0..<3 {
    mark = clock.now
    _ = try InteractionReader.read(path: out + "/world/interactions.mtx")
    plain.append(seconds(clock.now - mark))
    mark = clock.now
    _ = try InteractionReader.read(path: out + "/world")
    verified.append(seconds(clock.now - mark))
}
let readFile = plain.sorted()[1], readVerified = verified.sorted()[1]

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let row: [String: Any] = [
    "users": users, "items": generator.items!.count, "interactions": world.interactions.count, "threads": threads,
    "worlds": data.counterfactuals.count, "findings": result.report.findings.count, "bootstrap": bootstrap,
    "audit_seconds": total, "peak_rss_mb": usage.ru_maxrss / 1024,
    "open_directory_seconds": openDirectory, "read_interactions_seconds": readFile,
    "read_interactions_verified_seconds": readVerified,
    "stages": Dictionary(stages.list.map { ($0.0, $0.1) }, uniquingKeysWith: +),
]
let json = try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
