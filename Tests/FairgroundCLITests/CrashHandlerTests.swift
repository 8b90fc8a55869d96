import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 26, point 1: a crash ends the process at once, with one line and exit status 128 + the signal, and
/// releases its pipes. After an abort, Swift's crash reporter held a caller's pipes for 704 s, past any `timeout`.
/// The binary under test is built with `-D FAIRGROUND_FAULT_HOOKS`, so `FAIRGROUND_FAULT=1:TRAP` makes it trap (as a
/// failed precondition does) at its first output step, and `1:SEGV`, `1:ABRT` raise those signals there.
extension CommandLineTests {
    /// The signal a Swift trap raises: `ud2` is SIGILL on x86-64, `brk` SIGTRAP on arm64.
    #if arch(x86_64)
    static let trapSignal = SIGILL
    #else
    static let trapSignal = SIGTRAP
    #endif

    @Test(arguments: [("TRAP", trapSignal), ("SEGV", SIGSEGV), ("ABRT", SIGABRT)])
    func aCrashEndsTheRunAtOnceWithOneLineAndClosesItsPipes(fault: String, signal: Int32) throws {
        let out = scratch("crash-\(fault)")
        // Standard output and error are read to their end under the deadline: a run (or a crash reporter it
        // started) that keeps them open fails the test instead of blocking it.
        let run = try fairground(["generate", "credit-offers", "--users", "200", "--out", out],
                                 environment: ["FAIRGROUND_FAULT": "1:\(fault)"], unset: ["SWIFT_BACKTRACE"],
                                 deadline: .seconds(20))
        guard let r = run.result else {
            Issue.record("the crashed run held its pipes open for 20 s")
            return
        }
        #expect(r.status == 128 + signal && !r.signalled, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.hasSuffix("fairground: internal error (signal \(signal)); set SWIFT_BACKTRACE=enable=yes "
                                   + "for a backtrace\n"), "\(r.stderr)")
        if fault == "TRAP" {
            #expect(r.stderr.contains("Fatal error: FAIRGROUND_FAULT: a trap injected at output step 1"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/population.csv"))
    }

    /// Whoever sets `SWIFT_BACKTRACE` keeps the runtime's own handling: here `enable=no`, so the trap ends the
    /// process by its signal, without the one-line report.
    @Test func swiftBacktraceSetByTheUserKeepsTheRuntimesHandling() throws {
        let run = try fairground(["generate", "credit-offers", "--users", "200", "--out", scratch("crash-own")],
                                 environment: ["FAIRGROUND_FAULT": "1:TRAP", "SWIFT_BACKTRACE": "enable=no"],
                                 deadline: .seconds(20))
        guard let r = run.result else {
            Issue.record("the crashed run held its pipes open for 20 s")
            return
        }
        #expect(r.signalled && r.status == SIGILL, "exit \(r.status): \(r.stderr)")
        #expect(!r.stderr.contains("fairground: internal error"), "\(r.stderr)")
    }
}
