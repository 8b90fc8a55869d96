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

/// A set of output files written under temporary names (`.NAME.tmp-PID`, or `.fairground-HASH.tmp-PID` for a name
/// too long for that: ``temporaryName(for:process:)``) and committed as one unit, so a failure, a signal or a kill
/// leaves either the complete old output or the complete new one — never a mix.
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
    /// The journal is replayed only when every entry is one a commit could have written — a plain file name
    /// inside the directory, renamed from its own staged file (`.NAME.tmp-PID`, a regular file, not a symbolic
    /// link) or removed — and nothing that cannot be replaced (a directory, a FIFO) stands in the way of any entry;
    /// otherwise nothing is moved or deleted.
    ///
    /// - Throws: ``FairgroundError`` when a run is committing into the directory right now, when the journal is
    ///   refused (located at the journal and its line, the entry found), or the renames fail.
    public static func recover(directory: String) throws(FairgroundError) {
        guard FileIO.kind(directory + "/" + journalName) != nil else { return }
        let lock = try DirectoryLock(directory: directory)
        try replayJournal(in: directory)
        lock.release()
    }

    /// Replays the journal of `directory` (the caller holds its lock), after checking every entry: nothing is
    /// moved or deleted unless the whole journal is one a commit of this directory could have written.
    private static func replayJournal(in directory: String) throws(FairgroundError) {
        let path = directory + "/" + journalName
        guard let kind = FileIO.kind(path) else { return }
        func refusal(_ line: Int?, expected: String, found: String) -> FairgroundError {
            FairgroundError(file: path, line: line,
                            expected: expected + " (the journal was not replayed: nothing was moved or deleted; "
                                + "remove it if \(directory) is not a directory fairground wrote)",
                            found: found)
        }
        guard kind == .regular else {
            throw refusal(nil, expected: "a commit journal that is a regular file", found: kind.description)
        }
        let text = try FileIO.readText(path)
        var renames: [(line: Int, temporary: String?, final: String)] = []
        var process: Int32?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw refusal(index + 1, expected: "an entry 'STAGED<tab>NAME' or '<tab>NAME'", found: String(line))
            }
            let temporary = parts[0], final = String(parts[1])
            guard isPlainName(final) else {
                throw refusal(index + 1, expected: "a plain file name inside \(directory) (no '/', '..' or absolute path)",
                              found: final)
            }
            if temporary.isEmpty {
                renames.append((index + 1, nil, final))
                continue
            }
            guard let pid = Self.process(ofTemporary: temporary),
                  temporary == Self.temporaryName(for: final, process: pid) else {
                throw refusal(index + 1, expected: "the staged name of \(final) inside \(directory) "
                                  + "(.NAME.tmp-PID, or .fairground-HASH.tmp-PID for a long name)",
                              found: String(temporary))
            }
            guard process == nil || process == pid else {
                throw refusal(index + 1, expected: "staged names of one run (process \(process!))", found: String(temporary))
            }
            process = pid
            renames.append((index + 1, String(temporary), final))
        }
        // Every staged file still to be renamed must be one a run wrote (a regular file, not a link to elsewhere),
        // and nothing a rename or removal cannot replace may stand in the way: checked before the first change.
        for entry in renames {
            if let temporary = entry.temporary, let kind = FileIO.kind(directory + "/" + temporary) {
                guard kind == .regular else {
                    throw refusal(entry.line, expected: "a staged file \(temporary) (a regular file)", found: kind.description)
                }
            } else if entry.temporary != nil {
                continue  // renamed before the run was killed
            }
            if let kind = FileIO.kind(directory + "/" + entry.final), !kind.isReplaceable {
                throw refusal(entry.line, expected: "a regular file or nothing at \(entry.final)", found: kind.description)
            }
        }
        for (_, temporary, final) in renames {
            let target = directory + "/" + final
            if let temporary {
                let source = directory + "/" + temporary
                if FileIO.kind(source) != nil, rename(source, target) != 0 { throw FileIO.systemError(target) }
            } else {
                try FileIO.remove(target)  // a staged removal
            }
        }
        try FileIO.remove(path)
    }

    /// Whether `name` is a file name a journaled commit may write or remove: one component inside the directory,
    /// neither the journal nor the lock.
    static func isPlainName(_ name: String) -> Bool {
        isComponent(name) && name != journalName && name != DirectoryLock.name
    }

    /// Whether `name` is one component inside a directory: not empty, `.` or `..`, no `/`, NUL, tab or newline.
    static func isComponent(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".."
            && !name.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == 0 || $0 == 9 || $0 == 10 })
    }

    /// The longest file name the file system takes, in bytes (`NAME_MAX`: 255 on Linux's file systems).
    public static let nameLimit = 255

    /// The name a file called `name` is staged under by process `pid`, in the same directory: `.NAME.tmp-PID`, or,
    /// when that would pass ``nameLimit`` (a name within 6 bytes and the process id's digits of it),
    /// `.fairground-HASH.tmp-PID` — HASH the 16 hexadecimal digits of the name's FNV-1a hash — so every valid output
    /// name can be staged. Both forms are
    /// hidden, end in `.tmp-PID` (removed once their process is gone) and are checked by journal replay.
    ///
    /// ```swift
    /// StagedOutput.temporaryName(for: "model.fgm", process: 4242)   // ".model.fgm.tmp-4242"
    /// ```
    public static func temporaryName(for name: String, process pid: Int32) -> String {
        let plain = "." + name + ".tmp-\(pid)"
        guard plain.utf8.count > nameLimit else { return plain }
        let hash = String(FNV1a.hash(name.utf8), radix: 16)
        return ".fairground-" + String(repeating: "0", count: 16 - hash.count) + hash + ".tmp-\(pid)"
    }

    /// The process of a staged name (`….tmp-PID`), or `nil` when `name` is not one.
    static func process(ofTemporary name: Substring) -> Int32? {
        guard name.hasPrefix("."), let dash = name.lastIndex(of: "-"), name[..<dash].hasSuffix(".tmp") else { return nil }
        let digits = name[name.index(after: dash)...]
        guard let pid = Int32(digits), pid > 0, String(pid) == digits else { return nil }
        return pid
    }

    /// Deletes staged files (`.NAME.tmp-PID`, `.fairground-HASH.tmp-PID`) in `directory` whose process is gone.
    static func removeStaleTemporaries(in directory: String) {
        guard let names = FileIO.entries(of: directory) else { return }
        var stale: [String] = []
        for name in names {
            guard let pid = process(ofTemporary: Substring(name)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { stale.append(directory + "/" + name) }
        }
        for path in stale { unlink(path) }
    }

    /// Opens a new staged file called `name` inside the directory.
    ///
    /// - Throws: ``FairgroundError`` when `name` is not a file name inside the directory (one component: no `/`,
    ///   not `.` or `..`), is longer than the file system takes (``nameLimit``, 255 bytes), or the file cannot be
    ///   created.
    public func open(_ name: String) throws(FairgroundError) -> OutputFile {
        guard Self.isComponent(name) else {
            throw FairgroundError(file: directory, field: "'\(name)'",
                                  expected: "an output file name inside the directory (one component: no '/', '.' or '..')")
        }
        guard name.utf8.count <= Self.nameLimit else {
            throw FairgroundError(file: directory, field: "'\(name)'",
                                  expected: "an output file name of at most \(Self.nameLimit) bytes (the file system's "
                                      + "limit on a name, NAME_MAX)",
                                  found: "\(name.utf8.count) bytes")
        }
        FaultInjection.step()
        let final = directory + "/" + name
        let temporary = directory + "/" + Self.temporaryName(for: name, process: getpid())
        guard let f = InterruptCleanup.shared.creating(temporary, { fopen(temporary, "wb") }) else {
            InterruptCleanup.shared.unregister([temporary])
            throw FileIO.systemError(temporary)
        }
        staged.append((temporary, final))
        return OutputFile(handle: f, path: temporary)
    }

    /// Stages the removal of `name` (an earlier run's file this output no longer includes), done by the commit
    /// (which refuses a `name` that is not a plain file name inside the directory).
    public func remove(_ name: String) {
        guard Self.isComponent(name) else {
            invalidRemoval = invalidRemoval ?? name
            return
        }
        if FileIO.kind(directory + "/" + name) != nil { removals.append(directory + "/" + name) }
    }
    private var removals: [String] = []
    private var invalidRemoval: String?

    /// The commit record among the staged files (e.g. `manifest.json`): removed from the directory before
    /// anything is renamed, renamed last (``DirectoryRecord``). `nil`: no record.
    public var record: String?

    /// Commits every staged file: journal, renames (the ``record`` last), journal removed — under
    /// ``InterruptCleanup``'s commit lock, so a signal arriving meanwhile waits for the commit to finish.
    ///
    /// - Throws: ``FairgroundError`` when a target cannot be replaced — a directory or another non-file (FIFO,
    ///   socket, device) stands in the way of a file or of a staged removal: refused before anything is renamed
    ///   or removed, so the old output stays whole — or when a rename fails.
    public func commit() throws(FairgroundError) {
        let directory = self.directory
        if let name = invalidRemoval {
            throw FairgroundError(file: directory, field: "'\(name)'",
                                  expected: "a file name inside the directory to remove (one component: no '/', '.' or '..')")
        }
        try preflight()
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

    /// Checks, before the commit changes anything, that every staged file is still there and that each target
    /// (and each staged removal) is nothing, a regular file or a symbolic link — what a rename or removal replaces.
    private func preflight() throws(FairgroundError) {
        // A journal naming the journal or the lock could not be replayed: such names go only in a lone file.
        if staged.count + removals.count > 1,
           let name = (staged.map(\.final) + removals).map({ Self.name($0, in: directory) }).first(where: { !Self.isPlainName($0) }) {
            throw FairgroundError(file: directory, field: "'\(name)'",
                                  expected: "an output file name other than \(Self.journalName) and \(DirectoryLock.name)")
        }
        for (temporary, _) in staged where FileIO.kind(temporary) != .regular {
            throw FairgroundError(file: temporary, expected: "the staged file this run wrote (the output was left as it was)",
                                  found: FileIO.kind(temporary)?.description ?? "missing")
        }
        for target in staged.map(\.final) + removals {
            if let kind = FileIO.kind(target), !kind.isReplaceable {
                throw FairgroundError(file: target,
                                      expected: "a regular file or nothing where the output goes (the output was left as it was)",
                                      found: kind.description)
            }
        }
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
