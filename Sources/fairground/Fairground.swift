import ArgumentParser
import FileSupport
import Population
import Recommender
import Audit
import Linear

#if canImport(Glibc)
import Glibc
#endif

/// The `fairground` command: generate synthetic customers and their twins, train, recommend and audit.
@main
struct Fairground: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairground",
        abstract: "Test marketing and recommendation models for bias before launch.",
        version: "0.1.0",
        subcommands: [Generate.self, Counterfactual.self, Split.self, Tune.self, Train.self, Evaluate.self, Recommend.self, Export.self, Import.self, AuditCommand.self, AuditShardCommand.self, Probe.self, AttackCommand.self, Run.self])

    /// Parses and runs a command; bad input exits with status 2 and a sentence naming the file and field. A crash
    /// ends the process at once with one line (``CrashHandler``), never holding its pipes open.
    static func main() {
        CrashHandler.install()
        InterruptCleanup.install()
        do {
            try MemoryBudget.checkMinimum()
            try KernelPath.checkEnvironment()
            var command = try parseAsRoot()
            try command.run()
        } catch let error as FairgroundError {
            fail("error: \(CommandLineFlags.relocated(error))")
        } catch {
            // Help and version (status 0) and explicit exit codes keep ArgumentParser's handling; usage errors
            // (unknown option, missing argument, invalid value) and the flag checks of `validate()` — which throw
            // FairgroundErrors naming the flag, wrapped by the parser — are bad input too: status 2, and the same
            // "error: " line as every other refusal.
            if exitCode(for: error) == .success || error is ExitCode { exit(withError: error) }
            let message = fullMessage(for: error)
            fail(message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : message)
        }
    }

    static func fail(_ message: String) -> Never {
        var stderr = StandardError()
        print(message, to: &stderr)
        Glibc.exit(2)
    }
}

/// Writes to standard error.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { writeStandardError(string) }
}

/// Writes text to file descriptor 2 unbuffered.
func writeStandardError(_ string: String) {
    var bytes = Array(string.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}
