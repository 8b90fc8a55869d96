import ArgumentParser
import Population

/// `fairground run [SCENARIO]`: the whole pipeline on a scenario (for now: generation and its summary).
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline end to end on a scenario (the built-in default when none is given).")

    @Argument(help: "A spec file; omitted, the built-in credit-offers scenario.")
    var scenario: String?

    @Option(help: "The output directory.")
    var out: String = "fairground-output"

    @Option(help: "Number of users (overrides the spec).")
    var users: Int?

    @OptionGroup var options: ComputeOptions

    func validate() throws {
        if let users, users < 1 { throw ValidationError("--users must be at least 1, got \(users)") }
    }

    func run() throws {
        let spec = try scenario.map { path throws(SpecError) in try PopulationSpec.load(path: path) }
            ?? Scenario.defaultSpec()
        let generator = try Generator(spec: spec)
        let range = 0..<(users ?? spec.users)
        try generator.checkCapacity(users: range.count)
        let progress = ProgressLine(label: "generating users", total: range.count, quiet: options.quiet)
        let world = generator.generate(users: range, threads: options.resolvedThreads, progress: progress.callback)
        progress.finish()
        let directory = out + "/world"
        try writer(for: world, options: options).write(world, to: directory, repairCorrelations: false)
        report(world, directory: directory, quiet: options.quiet)
    }
}
