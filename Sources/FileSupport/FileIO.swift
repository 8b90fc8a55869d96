#if canImport(Glibc)
internal import Glibc
#endif

/// Small, dependency-free file helpers over the C library.
public enum FileIO {
    /// The error `errno` describes, for `path`.
    public static func systemError(_ path: String) -> FairgroundError {
        FairgroundError(path: path, reason: String(cString: strerror(errno)))
    }

    /// The whole file as UTF-8 text.
    public static func readText(_ path: String) throws(FairgroundError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FairgroundError(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// The whole file as bytes, or a refusal naming the file and what it should have been — the one way a stage
    /// reads an input file: `model.fgm: file: expected a readable model file, found 'No such file or directory'`.
    public static func readBytes(_ path: String, expecting what: String) throws(FairgroundError) -> [UInt8] {
        do { return try readBytes(path) } catch {
            throw FairgroundError(file: path, field: "file", expected: what, found: error.reason)
        }
    }

    /// The whole file as UTF-8 text, or a refusal naming the file and what it should have been.
    public static func readText(_ path: String, expecting what: String) throws(FairgroundError) -> String {
        do { return try readText(path) } catch {
            throw FairgroundError(file: path, field: "file", expected: what, found: error.reason)
        }
    }

    /// The whole file as bytes.
    public static func readBytes(_ path: String) throws(FairgroundError) -> [UInt8] {
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
    public static func makeDirectory(_ path: String) throws(FairgroundError) {
        var current = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
            var info = stat()
            if stat(current, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw FairgroundError(path: current, reason: "exists and is not a directory")
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
    public static func remove(_ path: String) throws(FairgroundError) {
        if unlink(path) != 0 && errno != ENOENT { throw systemError(path) }
    }

    /// The names in a directory, without `.` and `..`, in the order the file system gives them (`nil` when it
    /// cannot be opened). Each name is read up to its terminating NUL, never past the entry `readdir` returned
    /// (which may be shorter than `struct dirent`, at the end of a mapped page).
    public static func entries(of directory: String) -> [String]? {
        guard let d = opendir(directory) else { return nil }
        defer { closedir(d) }
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var names: [String] = []
        while let entry = readdir(d) {
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The size in bytes of the regular file at `path` (`nil` when there is none).
    public static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// What is at a path, without following a symbolic link there.
    enum Kind: Equatable, CustomStringConvertible {
        case regular, directory, symbolicLink, fifo, socket, device

        /// Whether a rename or an `unlink` replaces it (a directory cannot be; a FIFO, socket or device is no
        /// file an output would replace).
        var isReplaceable: Bool { self == .regular || self == .symbolicLink }

        var description: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a directory"
            case .symbolicLink: "a symbolic link"
            case .fifo: "a FIFO"
            case .socket: "a socket"
            case .device: "a device"
            }
        }
    }

    /// What is at `path` (`nil`: nothing), by `lstat`: a symbolic link is reported as one, not followed.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .device
        }
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}

/// A buffered output file.
public final class OutputFile {
    private var handle: UnsafeMutablePointer<FILE>?
    /// The (temporary) path written to.
    public let path: String
    /// The bytes written so far.
    public private(set) var bytesWritten = 0
    /// The digest of the bytes written so far (what a commit record keeps).
    public private(set) var digest = ContentDigest()

    init(handle: UnsafeMutablePointer<FILE>, path: String) {
        self.handle = handle
        self.path = path
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(FairgroundError) {
        guard !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard n == bytes.count else { throw FileIO.systemError(path) }
        bytesWritten += n
        digest.update(bytes)
    }

    /// Appends raw bytes (e.g. a numeric array's memory).
    public func write(raw bytes: UnsafeRawBufferPointer) throws(FairgroundError) {
        if let error = append(raw: bytes) { throw error }
    }

    /// Appends raw bytes, returning the failure (for callers inside closures that cannot throw).
    func append(raw bytes: UnsafeRawBufferPointer) -> FairgroundError? {
        guard bytes.count > 0 else { return nil }
        let n = fwrite(bytes.baseAddress, 1, bytes.count, handle)
        guard n == bytes.count else { return FileIO.systemError(path) }
        bytesWritten += n
        digest.update(bytes)
        return nil
    }

    /// Appends UTF-8 text.
    public func write(_ text: String) throws(FairgroundError) { try write(Array(text.utf8)) }

    /// Flushes and closes the file.
    public func close() throws(FairgroundError) {
        guard let h = handle else { return }
        handle = nil
        guard fflush(h) == 0, fclose(h) == 0 else { throw FileIO.systemError(path) }
    }

    deinit { if let h = handle { fclose(h) } }
}
