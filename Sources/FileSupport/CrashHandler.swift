#if canImport(Glibc)
internal import Glibc
#endif

/// Ends the process at once when it crashes — a fault, a trap (a failed precondition, an overflow), an abort — with
/// one line on standard error and exit status 128 + the signal's number:
///
/// ```
/// fairground: internal error (signal 4); set SWIFT_BACKTRACE=enable=yes for a backtrace
/// ```
///
/// Swift's runtime otherwise hands a crash to its backtracer, which symbolicates every thread while the process,
/// and the pipes it holds, stay alive: one abort kept a caller's pipes open for 704 s, past any `timeout`. A tool
/// run by scripts and CI must fail fast instead. Whoever sets `SWIFT_BACKTRACE` (to any value) keeps the runtime's
/// handling, so a backtrace is one variable away.
///
/// The handler does only what a signal handler may: `write(2)` of bytes it already has, then `_exit(2)`. It runs on
/// an alternate stack on the installing thread, so a stack overflow there is reported too; on another thread whose
/// stack overflowed the system ends the process with the signal.
public enum CrashHandler {
    /// The signals a crash raises: faults, bad instructions (Swift's traps), arithmetic errors, aborts, breakpoints.
    public static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    private static let installation: Bool = {
        guard getenv("SWIFT_BACKTRACE") == nil else { return false }
        // An alternate stack for this thread: a handler cannot run on a stack that has overflowed.
        let size = max(Int(SIGSTKSZ), 1 << 16)
        if let memory = malloc(size) {
            var stack = stack_t()
            stack.ss_sp = memory
            stack.ss_size = size
            stack.ss_flags = 0
            if sigaltstack(&stack, nil) != 0 { free(memory) }
        }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals {
            sigaddset(&unblock, signal)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in CrashHandler.report(number) }
            sigemptyset(&action.sa_mask)
            // A second crash inside the handler ends the process by the signal itself.
            action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigaction(signal, &action, nil)
        }
        // A mask inherited from the parent would leave a raised signal pending (an abort) or end the process
        // without the handler (a fault).
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return true
    }()

    /// Installs the handlers (once per process; later calls do nothing), unless `SWIFT_BACKTRACE` is set.
    ///
    /// - Returns: Whether the handlers are in place (`false` when `SWIFT_BACKTRACE` asked for the runtime's own).
    @discardableResult
    public static func install() -> Bool { installation }

    /// Writes the one line and ends the process: async-signal-safe (no allocation, no lock, no Swift runtime call).
    private static func report(_ signal: Int32) -> Never {
        let prefix: StaticString = "fairground: internal error (signal "
        let suffix: StaticString = "); set SWIFT_BACKTRACE=enable=yes for a backtrace\n"
        _ = write(2, prefix.utf8Start, prefix.utf8CodeUnitCount)
        var digits: (UInt8, UInt8, UInt8) = (0, 0, 0)
        var value = Int(max(signal, 0)) % 1000, count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[2 - count] = UInt8(48 + value % 10)
                value /= 10
                count += 1
            } while value > 0 && count < 3
            _ = write(2, buffer.baseAddress! + (3 - count), count)
        }
        _ = write(2, suffix.utf8Start, suffix.utf8CodeUnitCount)
        _exit(128 + signal)
    }
}
