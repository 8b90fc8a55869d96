#if canImport(Glibc)
internal import Glibc
#endif
import Synchronization

/// Removes a run's temporary files when it is interrupted (SIGINT, SIGTERM), so Ctrl-C or a scheduler's kill
/// leaves the output as it was before the run.
///
/// Signals are process-wide, so this is the one process-wide registry in the project: ``StagedOutput`` and
/// ``DirectoryLock`` register the paths they create and unregister them when committed or released. After
/// ``install()`` a signal handler only writes the signal's number to a pipe (all a handler may safely do); a
/// watcher thread reads it, waits for a commit in progress to finish (``whileCommitting(_:)``), removes every
/// registered path and exits with 128 + the signal's number.
public final class InterruptCleanup: Sendable {
    /// The process's registry.
    public static let shared = InterruptCleanup()

    private let paths = Mutex<Set<String>>([])

    private init() {}

    /// Registers `path` for removal on interruption and runs `create` (which makes it) under the registry's lock,
    /// so an interruption removes either nothing or the file made.
    public func creating<T>(_ path: String, _ create: () -> T) -> T {
        paths.withLock {
            $0.insert(path)
            return create()
        }
    }

    /// Forgets paths (committed, released or already removed).
    public func unregister(_ removed: [String]) { paths.withLock { $0.subtract(removed) } }

    /// Runs `body` (a commit's renames) so that an interruption waits until it returns. An interruption that came
    /// before the commit stops it from starting; one that comes during it ends the process right after it.
    public func whileCommitting<T>(_ body: () -> T) -> T {
        Self.yieldIfInterrupted()
        let result = paths.withLock { _ in body() }
        Self.yieldIfInterrupted()
        return result
    }

    /// Set by the signal handler, before the watcher thread wakes.
    private static let interrupted = Atomic<Bool>(false)

    /// Waits for the watcher to end the process when a signal has arrived (it removes the temporary files).
    private static func yieldIfInterrupted() {
        guard interrupted.load(ordering: .acquiring) else { return }
        while true { pause() }
    }

    /// The pipe the signal handler writes to; made before the handler is installed.
    private static let pipeDescriptors: (read: Int32, write: Int32) = {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return (-1, -1) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }()

    private static let installation: Bool = {
        let fds = pipeDescriptors
        guard fds.read >= 0 else { return false }
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { _ in InterruptCleanup.watch(); return nil }, nil) == 0 else { return false }
        pthread_detach(thread)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM] {
            // A signal the parent made us ignore (e.g. SIGINT of a background job) stays ignored.
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            if unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }  // SIG_IGN
            sigaddset(&unblock, signal)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                InterruptCleanup.interrupted.store(true, ordering: .releasing)
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(InterruptCleanup.pipeDescriptors.write, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
        // A mask inherited from the parent would keep them pending forever.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return true
    }()

    /// Installs the SIGINT and SIGTERM handlers and the watcher thread (once per process; later calls do nothing).
    ///
    /// - Returns: Whether the handlers are in place.
    @discardableResult
    public static func install() -> Bool { installation }

    private static func watch() {
        var byte: UInt8 = 0
        while read(pipeDescriptors.read, &byte, 1) != 1 {}
        let signal = Int32(byte)
        // Exits holding the lock: no file can be registered and made after the removal.
        shared.paths.withLock { paths in
            for path in paths { unlink(path) }
            let files = paths.count == 1 ? "file" : "files"
            let text = "fairground: interrupted (signal \(signal)); removed \(paths.count) temporary \(files), "
                + "the output is as it was before this run\n"
            let message = Array(text.utf8)
            _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            _exit(128 + signal)
        }
    }
}
