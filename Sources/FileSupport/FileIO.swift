#if canImport(Glibc)
internal import Glibc
#endif

/// A file that could not be read or written.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path involved.
    public var path: String
    /// What went wrong, from the operating system.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}

/// Small, dependency-free file helpers over the C library.
public enum FileIO {
    /// The error `errno` describes, for `path`.
    public static func systemError(_ path: String) -> FileError {
        FileError(path: path, reason: String(cString: strerror(errno)))
    }

    /// The whole file as UTF-8 text.
    public static func readText(_ path: String) throws(FileError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// The whole file as bytes.
    public static func readBytes(_ path: String) throws(FileError) -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw systemError(path) }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { throw systemError(path) }
                break
            }
        }
        return bytes
    }

    /// Creates a directory and its parents when missing.
    public static func makeDirectory(_ path: String) throws(FileError) {
        var current = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
            var info = stat()
            if stat(current, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw FileError(path: current, reason: "exists and is not a directory")
                }
                continue
            }
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw systemError(current) }
        }
    }

    /// Whether two paths name the same existing file or directory (same device and inode).
    public static func isSame(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Removes the file at `path` if there is one.
    public static func remove(_ path: String) throws(FileError) {
        if unlink(path) != 0 && errno != ENOENT { throw systemError(path) }
    }

    /// The size in bytes of the regular file at `path` (`nil` when there is none).
    public static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}

/// A single output file written under a temporary name and renamed into place.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else {
        throw FileError(path: path.isEmpty ? "''" : path, reason: "an output file needs a name (the path is empty or ends in /)")
    }
    let output = try StagedOutput(directory: directory.isEmpty ? "/" : directory)
    let file = try output.open(name)
    try file.write(bytes)
    try file.close()
    try output.commit()
}

/// A set of output files written under temporary names and renamed into place only when all succeeded, so a
/// failure never leaves a half-written file behind.
public final class StagedOutput {
    /// The directory the files go to.
    public let directory: String
    private var staged: [(temporary: String, final: String)] = []
    private var committed = false

    /// Prepares `directory` (created when missing; an empty path is refused, never taken as the root), and removes
    /// the temporary files that runs killed before their commit left there (those of processes no longer alive).
    public init(directory: String) throws(FileError) {
        guard !directory.isEmpty else { throw FileError(path: "''", reason: "an output path must not be empty") }
        try FileIO.makeDirectory(directory)
        self.directory = directory
        Self.removeStaleTemporaries(in: directory)
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
    public func open(_ name: String) throws(FileError) -> OutputFile {
        let final = directory + "/" + name
        let temporary = directory + "/.\(name).tmp-\(getpid())"
        guard let f = fopen(temporary, "wb") else { throw FileIO.systemError(temporary) }
        staged.append((temporary, final))
        return OutputFile(handle: f, path: temporary)
    }

    /// The commit record among the staged files (e.g. `manifest.json`): removed from the directory before
    /// anything is renamed, renamed last (``DirectoryRecord``). `nil`: no record.
    public var record: String?

    /// Renames every staged file into place — with a ``record``, removing the old record first and renaming the
    /// new one last, so an interruption leaves a directory without a record rather than one that looks whole.
    public func commit() throws(FileError) {
        let last = record.map { directory + "/" + $0 }
        if let last { try FileIO.remove(last) }
        for (temporary, final) in staged where final != last && rename(temporary, final) != 0 {
            throw FileIO.systemError(final)
        }
        if let last, let entry = staged.first(where: { $0.final == last }), rename(entry.temporary, last) != 0 {
            throw FileIO.systemError(last)
        }
        committed = true
    }

    deinit {
        if !committed { for (temporary, _) in staged { unlink(temporary) } }
    }
}

/// A buffered output file.
public final class OutputFile {
    private var handle: UnsafeMutablePointer<FILE>?
    /// The (temporary) path written to.
    public let path: String
    /// The bytes written so far.
    public private(set) var bytesWritten = 0

    fileprivate init(handle: UnsafeMutablePointer<FILE>, path: String) {
        self.handle = handle
        self.path = path
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(FileError) {
        guard !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard n == bytes.count else { throw FileIO.systemError(path) }
        bytesWritten += n
    }

    /// Appends UTF-8 text.
    public func write(_ text: String) throws(FileError) { try write(Array(text.utf8)) }

    /// Flushes and closes the file.
    public func close() throws(FileError) {
        guard let h = handle else { return }
        handle = nil
        guard fflush(h) == 0, fclose(h) == 0 else { throw FileIO.systemError(path) }
    }

    deinit { if let h = handle { fclose(h) } }
}
