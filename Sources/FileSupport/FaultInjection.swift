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
/// In other builds ``step()`` does nothing.
enum FaultInjection {
    #if FAIRGROUND_FAULT_HOOKS
    private static let plan: (step: Int, signal: Int32)? = {
        guard let text = getenv("FAIRGROUND_FAULT").map({ String(cString: $0) }) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[0]) else { return nil }
        let signal: Int32 = switch parts[1] {
        case "INT": SIGINT
        case "TERM": SIGTERM
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
        if n == plan.step { kill(getpid(), plan.signal) }
        #endif
    }
}
