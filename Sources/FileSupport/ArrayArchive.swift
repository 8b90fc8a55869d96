#if canImport(Glibc)
internal import Glibc
#endif

/// A numeric type an ``ArrayArchive`` stores (little-endian, as in memory on every platform Fairground runs on).
public protocol ArchiveElement: Sendable {
    /// The element's code in the archive's index.
    static var code: String { get }
}

extension Float: ArchiveElement { public static var code: String { "f4" } }
extension Int32: ArchiveElement { public static var code: String { "i4" } }
extension UInt64: ArchiveElement { public static var code: String { "u8" } }
extension UInt8: ArchiveElement { public static var code: String { "u1" } }

/// A binary file of named numeric arrays behind a JSON header: what a shard of an audit hands to the next step.
///
/// Layout: the 8 bytes `FGARRAY1`, the header's and the index's lengths (UInt64 each), the header (JSON, the
/// caller's), the index (JSON: name, element code, count and offset of each array), then the arrays, each at an
/// offset that is a multiple of 8 from the end of the index. The file is memory-mapped when read, so a reader
/// touches only the pages of what it reads (a binary search of a sorted array reads a few).
public final class ArrayArchive: @unchecked Sendable {
    /// One array's place in the file.
    struct Entry: Codable {
        var name: String
        var element: String
        var count: Int
        var offset: Int
    }

    static let magic = Array("FGARRAY1".utf8)

    /// Arrays to write, in order.
    public struct Writer {
        var entries: [Entry] = []
        var bodies: [(OutputFile) -> FairgroundError?] = []
        var end = 0

        /// Creates an empty writer.
        public init() {}

        /// Adds `values` under `name`.
        public mutating func add<T: ArchiveElement>(_ name: String, _ values: [T]) {
            entries.append(Entry(name: name, element: T.code, count: values.count, offset: end))
            end += (values.count * MemoryLayout<T>.stride + 7) / 8 * 8
            let padding = (8 - (values.count * MemoryLayout<T>.stride) % 8) % 8
            bodies.append { file in
                if let error = values.withUnsafeBytes({ file.append(raw: $0) }) { return error }
                return padding > 0 ? [UInt8](repeating: 0, count: padding).withUnsafeBytes { file.append(raw: $0) } : nil
            }
        }

        /// Writes the archive with `header` (JSON bytes) to `file`.
        public func write(header: [UInt8], to file: OutputFile) throws(FairgroundError) {
            let index = try JSONOutput.bytes(entries, pretty: false, what: file.path)
            var prefix = ArrayArchive.magic
            for length in [header.count, index.count] {
                withUnsafeBytes(of: UInt64(length).littleEndian) { prefix.append(contentsOf: $0) }
            }
            let padding = (8 - (prefix.count + header.count + index.count) % 8) % 8
            try file.write(prefix + header + index + [UInt8](repeating: 0, count: padding))
            for body in bodies { if let error = body(file) { throw error } }
        }
    }

    /// The path read.
    public let path: String
    /// The caller's header (JSON bytes).
    public let header: [UInt8]
    let entries: [String: Entry]
    let base: UnsafeRawPointer
    let length: Int
    let dataStart: Int

    /// Maps an archive.
    ///
    /// - Throws: ``FairgroundError`` naming the file when it is missing, not an archive, or an array lies outside it.
    public init(path: String) throws(FairgroundError) {
        self.path = path
        let fd: Int32
        do { (fd, length) = try FileIO.openRegularFile(path) } catch {
            // A device or FIFO is refused before it is mapped; a missing file is named with the system's reason.
            throw error.kind == .file ? FairgroundError(file: path, field: "file", expected: "a readable file",
                                                        found: error.reason) : error
        }
        defer { close(fd) }
        func invalid(_ what: String) -> FairgroundError {
            FairgroundError(file: path, field: "file", expected: "an array archive written by Fairground", found: what)
        }
        guard length >= 24 else { throw invalid("\(length) bytes") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw FairgroundError(file: path, field: "file", expected: "a file that can be mapped",
                             found: String(cString: strerror(errno)))
        }
        // Readers binary-search the arrays: no read-ahead, so only the pages read are mapped in.
        madvise(mapped, length, MADV_RANDOM)
        base = UnsafeRawPointer(mapped)
        let bytes = UnsafeRawBufferPointer(start: base, count: length)
        guard Array(bytes[0..<8]) == Self.magic else {
            munmap(mapped, length)
            throw invalid("another kind of file")
        }
        // Lengths and offsets come from the file: a damaged one is refused, never trusted into arithmetic that traps.
        let headerWord = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let indexWord = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard headerWord <= UInt64(length), indexWord <= UInt64(length),
              24 + Int(headerWord) + Int(indexWord) <= length else {
            munmap(mapped, length)
            throw invalid("a truncated header")
        }
        let headerLength = Int(headerWord), indexLength = Int(indexWord)
        header = Array(bytes[24..<(24 + headerLength)])
        let index = Array(bytes[(24 + headerLength)..<(24 + headerLength + indexLength)])
        dataStart = (24 + headerLength + indexLength + 7) / 8 * 8
        let list: [Entry]
        do { list = try JSONInput.decode([Entry].self, from: index) } catch {
            munmap(mapped, length)
            throw invalid("an unreadable index (\(error))")
        }
        var entries: [String: Entry] = [:]
        for e in list {
            let size = ["f4": 4, "i4": 4, "u8": 8, "u1": 1][e.element] ?? 0
            let bytes = e.count.multipliedReportingOverflow(by: size)
            let end = e.offset.addingReportingOverflow(bytes.partialValue)
            guard size > 0, e.count >= 0, e.offset >= 0, !bytes.overflow, !end.overflow,
                  end.partialValue <= length - dataStart else {
                munmap(mapped, length)
                throw invalid("the array \(e.name) outside the file (truncated?)")
            }
            entries[e.name] = e
        }
        self.entries = entries
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// Whether the archive holds an array `name`.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The array `name` in place, in the mapped file: valid while this archive lives.
    ///
    /// - Throws: ``FairgroundError`` when there is no such array of that element type.
    public func mapped<T: ArchiveElement>(_ name: String, as type: T.Type) throws(FairgroundError) -> UnsafeBufferPointer<T> {
        guard let e = entries[name] else {
            throw FairgroundError(file: path, field: name, expected: "an array \(name)", found: "none")
        }
        guard e.element == T.code else {
            throw FairgroundError(file: path, field: name, expected: "elements of type \(T.code)", found: e.element)
        }
        let start = (base + dataStart + e.offset).assumingMemoryBound(to: T.self)
        return UnsafeBufferPointer(start: start, count: e.count)
    }

    /// A copy of the array `name`.
    ///
    /// - Throws: ``FairgroundError`` when there is no such array of that element type.
    public func array<T: ArchiveElement>(_ name: String, as type: T.Type) throws(FairgroundError) -> [T] {
        Array(try mapped(name, as: type))
    }
}

/// A JSON header that names its format and version, as every archive kind's does.
public protocol ArchiveHeader: Decodable {
    /// The kind of archive (`fairground-audit-shard`).
    var format: String { get }
    /// The version of that kind.
    var version: Int { get }
}

extension ArrayArchive {
    /// The archive's header decoded as `type`, refused with the file's name unless it reads and is `format` at
    /// `version`; `what` says what the file should have been (`a scored shard of a Fairground audit`).
    public func header<H: ArchiveHeader>(_ type: H.Type, format: String, version: Int, what: String)
        throws(FairgroundError) -> H
    {
        let decoded: H
        do { decoded = try JSONInput.decode(H.self, from: header) } catch {
            throw FairgroundError(file: path, field: "header", expected: what, found: "\(error)")
        }
        guard decoded.format == format, decoded.version == version else {
            throw FairgroundError(file: path, field: "format", expected: "\(format) version \(version)",
                                  found: "\(decoded.format) version \(decoded.version)")
        }
        return decoded
    }
}
