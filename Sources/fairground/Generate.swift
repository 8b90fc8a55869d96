import ArgumentParser
import Population

/// `fairground generate SPEC --out DIR`.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic population, its interactions and ground truth from a spec.",
        discussion: """
            Writes population.csv, items.csv, interactions.csv, interactions.mtx, truth.csv and manifest.json \
            into DIR. The same spec and seed give byte-identical files for any --threads, and --first-user A \
            --users N gives exactly rows A..<A+N of a full run.
            """)

    @Argument(help: "The population spec (YAML or JSON), or the name of a shipped scenario: \(Scenario.names.joined(separator: ", ")).")
    var spec: String

    @Option(help: "The output directory.")
    var out: String

    @Option(help: "Number of users (overrides the spec).")
    var users: Int?

    @Option(help: "The first user id to generate (for sharding).")
    var firstUser: Int = 0

    @Option(help: "The seed (overrides the spec).")
    var seed: UInt64?

    @Flag(help: "Replace a correlation matrix that is not positive semi-definite by the nearest one.")
    var repairCorrelations = false

    @OptionGroup var options: ComputeOptions

    func run() throws {
        let parsed = try PopulationSpec.load(pathOrScenario: spec)
        let generator = try Generator(spec: parsed, seed: seed, repairCorrelations: repairCorrelations)
        let range = try Generator.userRange(first: firstUser, count: users ?? parsed.users)
        try generator.checkCapacity(users: range.count)
        let progress = ProgressLine(label: "generating users", total: range.count, quiet: options.quiet)
        let world = generator.generate(users: range, threads: options.resolvedThreads, progress: progress.callback)
        progress.finish()
        try writer(for: world, options: options).write(world, to: out, repairCorrelations: repairCorrelations)
        report(world, directory: out, quiet: options.quiet)
    }
}

/// A writer whose progress line counts finished files.
func writer(for world: World, options: ComputeOptions) -> WorldWriter {
    var writer = WorldWriter(threads: options.resolvedThreads)
    let progress = ProgressLine(label: "writing files", total: world.items == nil ? 1 : 5, quiet: options.quiet)
    if progress.isEnabled {
        writer.fileWritten = { _, _, _ in progress.advance(1) }
    }
    return writer
}

/// Prints where a world went, its repairs and its summary.
func report(_ world: World, directory: String, quiet: Bool) {
    if !quiet { ProgressLine(label: "", total: 1, quiet: quiet).finish() }
    var stderr = StandardError()
    for r in world.repairs {
        print("repaired correlation \(world.spec.attributes[r.first].name) ~ \(world.spec.attributes[r.second].name): "
              + "\(r.target) → \(r.used)", to: &stderr)
    }
    guard !quiet else { return }
    print(WorldSummary(world))
    print("wrote \(directory)/")
}
