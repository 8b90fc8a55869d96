import ArgumentParser
import FileSupport
import Population
import Recommender
import Audit

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
        subcommands: [Generate.self, Counterfactual.self, Split.self, Tune.self, Train.self, Evaluate.self, Recommend.self, Export.self, Import.self, AuditCommand.self, Probe.self, Run.self])

    /// Parses and runs a command; bad input exits with status 2 and a sentence naming the file and field.
    static func main() {
        InterruptCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            fail("error: \(CommandLineFlags.relocated(error))")
        } catch let error as FileError {
            fail("error: \(error)")
        } catch {
            // Help and version (status 0) and explicit exit codes keep ArgumentParser's handling; usage errors
            // (unknown option, missing argument, invalid value) are bad input too: status 2.
            if exitCode(for: error) == .success || error is ExitCode { exit(withError: error) }
            fail(fullMessage(for: error))
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
