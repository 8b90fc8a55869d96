#if canImport(Glibc)
internal import Glibc
#endif
#if FAIRGROUND_FAULT_HOOKS
import Synchronization
#endif

/// A test hook, compiled only into test builds (`-D FAIRGROUND_FAULT_HOOKS`, which `make test` passes): with
/// `FAIRGROUND_FAULT=N:KILL` (or `N:INT`, `N:TERM`) in the environment the process sends itself that signal just
/// before its Nth output step — opening a staged file, writing the journal, removing the old record, each rename,
/// removing the journal. The kill tests use it to stop `generate` and `audit` at every point of their commits.
/// With `N:TRAP` it traps there instead, as a failed precondition does; with `N:ABRT` it calls `abort()`, as a failed
/// allocation does; with `N:SEGV` it raises SIGSEGV, as a bad pointer does (the crash tests: ``CrashHandler``).
/// In other builds ``step()`` does nothing.
enum FaultInjection {
    #if FAIRGROUND_FAULT_HOOKS
    /// The step to stop at, and the signal to send (0: trap).
    private static let plan: (step: Int, signal: Int32)? = {
        guard let text = getenv("FAIRGROUND_FAULT").map({ String(cString: $0) }) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[0]) else { return nil }
        let signal: Int32 = switch parts[1] {
        case "INT": SIGINT
        case "TERM": SIGTERM
        case "SEGV": SIGSEGV
        case "ABRT": SIGABRT
        case "TRAP": 0
        default: SIGKILL
        }
        return (n, signal)
    }()
    private static let steps = Atomic<Int>(0)
    #endif

    /// Counts one output step, and stops here when the plan says so.
    static func step() {
        #if FAIRGROUND_FAULT_HOOKS
        guard let plan else { return }
        let n = steps.add(1, ordering: .relaxed).newValue
        guard n == plan.step else { return }
        if plan.signal == 0 { fatalError("FAIRGROUND_FAULT: a trap injected at output step \(n)") }
        if plan.signal == SIGABRT { abort() }
        kill(getpid(), plan.signal)
        #endif
    }
}
