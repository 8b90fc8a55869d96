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
        try text(of: path, expecting: nil)
    }

    /// The whole file as bytes, or a refusal naming the file and what it should have been — the one way a stage
    /// reads an input file: `model.fgm: file: expected a readable model file, found 'No such file or directory'`.
    /// Anything but a regular file (a device such as `/dev/zero`, a FIFO, a directory) is refused before a byte is
    /// read: `/dev/zero: file: expected a readable model file (a regular file), found 'a character device'`.
    public static func readBytes(_ path: String, expecting what: String) throws(FairgroundError) -> [UInt8] {
        try bytes(of: path, expecting: what)
    }

    /// The whole file as UTF-8 text, or a refusal naming the file and what it should have been (a regular file,
    /// as ``readBytes(_:expecting:)``).
    public static func readText(_ path: String, expecting what: String) throws(FairgroundError) -> String {
        try text(of: path, expecting: what)
    }

    /// The whole file as bytes; anything but a regular file is refused before a byte is read.
    public static func readBytes(_ path: String) throws(FairgroundError) -> [UInt8] {
        try bytes(of: path, expecting: nil)
    }

    private static func text(of path: String, expecting what: String?) throws(FairgroundError) -> String {
        let bytes = try bytes(of: path, expecting: what)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            guard let what else { throw FairgroundError(path: path, reason: "not UTF-8 text") }
            throw FairgroundError(file: path, field: "file", expected: what, found: "not UTF-8 text")
        }
        return text
    }

    /// Reads a whole regular file. `what` (what the file should have been) turns a system error into an input
    /// refusal naming it; without it a system error is a ``FairgroundError/Kind/file`` failure.
    private static func bytes(of path: String, expecting what: String?) throws(FairgroundError) -> [UInt8] {
        func failure(_ reason: String) -> FairgroundError {
            what.map { FairgroundError(file: path, field: "file", expected: $0, found: reason) }
                ?? FairgroundError(path: path, reason: reason)
        }
        let (descriptor, size): (Int32, Int)
        do { (descriptor, size) = try openRegularFile(path) } catch {
            guard error.kind == .file else {
                throw FairgroundError(file: path, field: "file", expected: what.map { "\($0) (a regular file)" } ?? error.expected,
                                      found: error.found)
            }
            throw failure(error.reason)
        }
        defer { close(descriptor) }
        try MemoryBudget.check(bytes: Double(size), file: path, field: "file", what: "the file, read whole,",
                               advice: "give a smaller file")
        // One byte beyond the size, so that reading a file that did not grow ends on a read of 0 without growing the
        // buffer (which would double it); the result is then the buffer itself, shortened in place.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }  // the file grew
            let n = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            count += n
        }
        if count == size {
            bytes.removeLast()
            return bytes
        }
        return Array(bytes[..<count])
    }

    /// Opens `path` for reading when it is a regular file (a symbolic link to one is followed), and returns the
    /// descriptor (closed by the caller) and the file's size. Anything else is refused before it is opened for
    /// reading — a device such as `/dev/zero` or `/dev/urandom` would be read without end, a FIFO would block until
    /// a writer came — and checked again on the descriptor (opened without blocking), so a file swapped in between
    /// is refused too.
    ///
    /// - Throws: ``FairgroundError`` of kind ``FairgroundError/Kind/file`` when the system cannot open or examine it,
    ///   and an input refusal `PATH: file: expected a regular file, found 'a character device'` (a FIFO, a
    ///   directory, …) otherwise.
    static func openRegularFile(_ path: String) throws(FairgroundError) -> (descriptor: Int32, size: Int) {
        func refusal(_ mode: mode_t) -> FairgroundError {
            FairgroundError(file: path, field: "file", expected: "a regular file", found: Kind(mode: mode).description)
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw systemError(path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw refusal(info.st_mode) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw systemError(path) }
        guard fstat(descriptor, &info) == 0 else {
            let error = systemError(path)
            close(descriptor)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw refusal(info.st_mode)
        }
        return (descriptor, Int(info.st_size))
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
        case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice

        /// The kind a `stat` mode names.
        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFLNK: self = .symbolicLink
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            case S_IFBLK: self = .blockDevice
            default: self = .characterDevice
            }
        }

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
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            }
        }
    }

    /// What is at `path` (`nil`: nothing), by `lstat`: a symbolic link is reported as one, not followed.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Kind(mode: info.st_mode)
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
