import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs of the binary that cannot block a test: a run that has not closed its standard output and error within its
/// deadline is a hang — killed, reported, never waited for.
extension CommandLineTests {
    /// How a bounded run ended.
    struct BoundedResult {
        /// The run's exit status, output and error; `nil` when it hung.
        var result: Result?

        /// Whether the deadline passed before the run closed its pipes (it was then killed).
        var hung: Bool { result == nil }
    }

    /// Bytes read from a pipe on another thread.
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// Runs the binary (in the repository's root, with `CI` set, `environment` added and the variables in `unset`
    /// removed; under an address-space limit of `addressSpaceKilobytes`, set by the shell it runs in, when given)
    /// and reads its standard output and error to their end, waiting at most `deadline`: reaching the end of both
    /// means every process holding the pipes is gone. Past the deadline the process is killed (SIGKILL) and the run
    /// reported as hung.
    func fairground(_ arguments: [String], environment extra: [String: String] = [:], unset: [String] = [],
                    addressSpaceKilobytes limit: Int? = nil, deadline: Duration) throws -> BoundedResult
    {
        let process = Process()
        if let limit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -v \(limit) && exec \"$@\"", "sh", Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        var environment = ProcessInfo.processInfo.environment
        environment["CI"] = "true"
        environment.merge(extra) { $1 }
        for name in unset { environment[name] = nil }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = Collected(), stderr = Collected()
        let group = DispatchGroup()
        for (pipe, collected) in [(out, stdout), (err, stderr)] {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async(group: group) { collected.data = handle.readDataToEndOfFile() }
        }
        let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) * 1e-18
        guard group.wait(timeout: .now() + seconds) == .success else {
            // Killed and reaped; the readers end once every holder of the pipes (a child it started) is gone.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return BoundedResult(result: nil)
        }
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, stdout: String(decoding: stdout.data, as: UTF8.self),
                            stderr: String(decoding: stderr.data, as: UTF8.self),
                            signalled: process.terminationReason == .uncaughtSignal)
        return BoundedResult(result: result)
    }
}
