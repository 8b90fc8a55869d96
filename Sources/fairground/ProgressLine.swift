import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error, shown only on a terminal and never when `CI` is set.
final class ProgressLine: Sendable {
    private let label: String
    private let total: Int
    private let state = Mutex((done: 0, lastPercent: -1))
    let isEnabled: Bool

    init(label: String, total: Int, quiet: Bool) {
        self.label = label
        self.total = max(total, 1)
        isEnabled = !quiet && isatty(2) == 1 && getenv("CI") == nil
    }

    /// Records `count` more units done and redraws when the percentage changes.
    func advance(_ count: Int) {
        guard isEnabled else { return }
        state.withLock { s in
            s.done += count
            let percent = s.done * 100 / total
            if percent != s.lastPercent {
                s.lastPercent = percent
                writeStandardError("\r\(label): \(s.done)/\(total) (\(percent)%)")
            }
        }
    }

    /// The callback to hand to the library.
    var callback: (@Sendable (Int) -> Void)? {
        guard isEnabled else { return nil }
        return { @Sendable [self] count in self.advance(count) }
    }

    /// Shows a stage of work with no count ("scoring twins…").
    func stage(_ text: String) {
        guard isEnabled else { return }
        writeStandardError("\r\u{1B}[K\(label): \(text)")
    }

    /// Clears the line.
    func finish() {
        guard isEnabled else { return }
        writeStandardError("\r\u{1B}[K")
    }

    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
