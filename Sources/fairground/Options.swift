import ArgumentParser

/// Options shared by every command that computes.
struct ComputeOptions: ParsableArguments {
    @Option(help: "Worker threads (results are identical for any value). Default: all cores.")
    var threads: Int?

    @Flag(name: [.short, .long], help: "No progress line and no summary.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be between 1 and 1024, got \(threads)")
        }
    }

    var resolvedThreads: Int { threads ?? ProgressLine.processorCount }
}
