#if canImport(Glibc)
internal import Glibc
#endif

/// A single output file written under a temporary name and renamed into place (one rename: atomic by itself).
public func writeAtomically(_ bytes: [UInt8], to path: String) throws(FairgroundError) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else {
        throw FairgroundError(path: path.isEmpty ? "''" : path, reason: "an output file needs a name (the path is empty or ends in /)")
    }
    let output = try StagedOutput(directory: directory.isEmpty ? "/" : directory, exclusive: false)
    let file = try output.open(name)
    try file.write(bytes)
    try file.close()
    try output.commit()
}

/// A set of output files written under temporary names (`.NAME.tmp-PID`) and committed as one unit, so a failure,
/// a signal or a kill leaves either the complete old output or the complete new one — never a mix.
///
/// A commit of several files first writes a journal, `.fairground-commit`, listing every rename (the journal's own
/// rename is the commit point), then renames the files — the ``record`` last — and removes the journal. A run
/// killed between the journal and its removal leaves a directory whose pending renames the next writer or reader
/// completes (``recover(directory:)``), as a database replays its journal. An exclusive output also holds the
/// directory's lock (``DirectoryLock``) from creation to commit, so concurrent writers are refused, not interleaved;
/// its temporary files are registered with ``InterruptCleanup``, which removes them on SIGINT or SIGTERM.
public final class StagedOutput {
    /// The directory the files go to.
    public let directory: String
    private var staged: [(temporary: String, final: String)] = []
    private var committed = false
    private var lock: DirectoryLock?

    /// The journal's file name.
    public static let journalName = ".fairground-commit"

    /// Prepares `directory` (created when missing; an empty path is refused, never taken as the root): completes a
    /// commit a killed run left (``recover(directory:)``) and removes the temporary files of runs no longer alive.
    ///
    /// - Parameter exclusive: whether to hold the directory's lock until the commit (every multi-file output does;
    ///   a lone file written with ``writeAtomically(_:to:)`` needs no lock, its one rename is atomic).
    /// - Throws: ``FairgroundError`` when the directory cannot be made or another run holds its lock.
    public init(directory: String, exclusive: Bool = true) throws(FairgroundError) {
        guard !directory.isEmpty else { throw FairgroundError(path: "''", reason: "an output path must not be empty") }
        try FileIO.makeDirectory(directory)
        self.directory = directory
        if exclusive {
            let lock = try DirectoryLock(directory: directory)
            self.lock = lock
            try Self.replayJournal(in: directory)
        } else {
            try Self.recover(directory: directory)
        }
        Self.removeStaleTemporaries(in: directory)
    }

    /// Completes the commit a killed run left in `directory` (its journal lists renames still pending), or does
    /// nothing when there is no journal. Readers call it through ``DirectoryRecord/verify(directory:files:)``.
    ///
    /// - Throws: ``FairgroundError`` when a run is committing into the directory right now, or the renames fail.
    public static func recover(directory: String) throws(FairgroundError) {
        guard FileIO.exists(directory + "/" + journalName) else { return }
        let lock = try DirectoryLock(directory: directory)
        try replayJournal(in: directory)
        lock.release()
    }

    /// Replays the journal of `directory` (the caller holds its lock).
    private static func replayJournal(in directory: String) throws(FairgroundError) {
        let path = directory + "/" + journalName
        guard FileIO.exists(path) else { return }
        let text = try FileIO.readText(path)
        let renames = text.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            return parts.count == 2 ? (directory + "/" + parts[0], directory + "/" + parts[1]) : nil
        }
        for (temporary, final) in renames {
            if temporary == directory + "/" {
                try FileIO.remove(final)  // a staged removal
            } else if FileIO.exists(temporary), rename(temporary, final) != 0 {
                throw FileIO.systemError(final)
            }
        }
        try FileIO.remove(path)
    }

    /// Deletes `.NAME.tmp-PID` files in `directory` whose process is gone.
    static func removeStaleTemporaries(in directory: String) {
        guard let d = opendir(directory) else { return }
        defer { closedir(d) }
        var stale: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix("."), let dash = name.lastIndex(of: "-"), name[..<dash].hasSuffix(".tmp"),
                  let pid = Int32(name[name.index(after: dash)...]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { stale.append(directory + "/" + name) }
        }
        for path in stale { unlink(path) }
    }

    /// Opens a new staged file called `name` inside the directory.
    public func open(_ name: String) throws(FairgroundError) -> OutputFile {
        FaultInjection.step()
        let final = directory + "/" + name
        let temporary = directory + "/.\(name).tmp-\(getpid())"
        guard let f = InterruptCleanup.shared.creating(temporary, { fopen(temporary, "wb") }) else {
            InterruptCleanup.shared.unregister([temporary])
            throw FileIO.systemError(temporary)
        }
        staged.append((temporary, final))
        return OutputFile(handle: f, path: temporary)
    }

    /// Stages the removal of `name` (an earlier run's file this output no longer includes), done by the commit.
    public func remove(_ name: String) {
        if FileIO.exists(directory + "/" + name) { removals.append(directory + "/" + name) }
    }
    private var removals: [String] = []

    /// The commit record among the staged files (e.g. `manifest.json`): removed from the directory before
    /// anything is renamed, renamed last (``DirectoryRecord``). `nil`: no record.
    public var record: String?

    /// Commits every staged file: journal, renames (the ``record`` last), journal removed — under
    /// ``InterruptCleanup``'s commit lock, so a signal arriving meanwhile waits for the commit to finish.
    public func commit() throws(FairgroundError) {
        let directory = self.directory
        let last = record.map { directory + "/" + $0 }
        var order = staged.filter { $0.final != last }
        if let last, let entry = staged.first(where: { $0.final == last }) { order.append(entry) }
        let journal = directory + "/" + Self.journalName
        let result: Result<Void, FairgroundError> = InterruptCleanup.shared.whileCommitting {
            do throws(FairgroundError) {
                let journaled = order.count + removals.count > 1
                if journaled {
                    FaultInjection.step()
                    let lines = removals.map { "\t" + Self.name($0, in: directory) }
                        + order.map { Self.name($0.temporary, in: directory) + "\t" + Self.name($0.final, in: directory) }
                    try Self.writeJournal(lines.joined(separator: "\n") + "\n", to: journal)
                }
                if let last {
                    FaultInjection.step()
                    try FileIO.remove(last)
                }
                for path in removals {
                    FaultInjection.step()
                    try FileIO.remove(path)
                }
                for (temporary, final) in order {
                    FaultInjection.step()
                    if rename(temporary, final) != 0 { throw FileIO.systemError(final) }
                }
                if journaled {
                    FaultInjection.step()
                    try FileIO.remove(journal)
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        committed = true
        InterruptCleanup.shared.unregister(staged.map(\.temporary))
        lock?.release()
        lock = nil
    }

    private static func name(_ path: String, in directory: String) -> String {
        String(path.dropFirst(directory.count + 1))
    }

    /// Writes the journal under a temporary name and renames it into place: the commit point. (Called while
    /// committing, when an interruption waits, so its temporary file needs no registration.)
    private static func writeJournal(_ text: String, to path: String) throws(FairgroundError) {
        let temporary = path + ".tmp-\(getpid())"
        guard let f = fopen(temporary, "wb") else { throw FileIO.systemError(temporary) }
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let flushed = fflush(f) == 0 && fsync(fileno(f)) == 0
        fclose(f)
        guard n == bytes.count, flushed, rename(temporary, path) == 0 else {
            let error = FileIO.systemError(path)
            unlink(temporary)
            throw error
        }
    }

    deinit {
        if !committed {
            for (temporary, _) in staged { unlink(temporary) }
            InterruptCleanup.shared.unregister(staged.map(\.temporary))
        }
        lock?.release()
    }
}
