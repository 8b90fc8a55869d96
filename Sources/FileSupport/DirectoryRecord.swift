#if canImport(Glibc)
internal import Glibc
#endif
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The commit record of a multi-file output directory: `manifest.json`, listing every file with its size and
/// digest (``ContentDigest``), is removed before a commit renames the new files into place and renamed last
/// (``StagedOutput/record``); an interrupted commit is completed from its journal (``StagedOutput/recover(directory:)``).
/// A directory whose files do not match its record — mixed from two runs, changed, or holding files left from an
/// older one — is refused by ``verify(directory:files:)`` instead of being read.
public enum DirectoryRecord {
    /// The record's file name.
    public static let name = "manifest.json"

    struct Listing: Decodable {
        struct File: Decodable {
            var name: String
            var bytes: Int
            var digest: String?
        }
        var files: [File]
    }

    /// Checks the record of `directory`, after completing a commit a killed run left: the record exists, every file
    /// it lists has the recorded size (a `stat` each), and each of `files` — those the caller is about to read — is
    /// listed with the recorded digest (one pass over it at several GB/s).
    ///
    /// - Throws: ``FairgroundError`` naming the directory and what differs.
    public static func verify(directory: String, files: [String] = []) throws(FairgroundError) {
        do { try StagedOutput.recover(directory: directory) } catch {
            // The lock's refusal names the directory; a journal refused or a rename failed names its own file.
            guard error.source == directory else { throw error }
            throw FairgroundError(file: directory, expected: "a directory no run is committing into (\(error.reason))")
        }
        let path = directory + "/" + name
        guard FileIO.exists(path) else {
            throw FairgroundError(file: directory, field: name,
                             expected: "a complete directory (its \(name) is written last; without it a run was "
                                 + "interrupted before its commit or the directory is not a generated one)")
        }
        let listing: Listing
        do {
            listing = try JSONDecoder().decode(Listing.self, from: Data(try FileIO.readBytes(path)))
        } catch {
            throw FairgroundError(file: path, field: "files", expected: "the list of the directory's files and sizes")
        }
        var differences: [String] = []
        for file in listing.files {
            let size = FileIO.size(directory + "/" + file.name)
            if size != file.bytes {
                differences.append("\(file.name): \(size.map { "\($0) bytes" } ?? "missing"), recorded \(file.bytes)")
            }
        }
        for file in files {
            guard let entry = listing.files.first(where: { $0.name == file }) else {
                differences.append("\(file) is not part of the recorded output (left from an earlier run)")
                continue
            }
            guard differences.isEmpty, let recorded = entry.digest else { continue }
            let digest = try digest(of: directory + "/" + file)
            if digest != recorded { differences.append("\(file): digest \(digest), recorded \(recorded)") }
        }
        guard differences.isEmpty else {
            throw FairgroundError(file: path, field: "files",
                             expected: "the files of one run, as recorded (the directory mixes runs or was changed)",
                             found: differences.joined(separator: "; "))
        }
    }

    /// The ``ContentDigest`` of the file at `path`, read in 1 MiB chunks.
    ///
    /// - Throws: ``FairgroundError`` when the file cannot be read.
    public static func digest(of path: String) throws(FairgroundError) -> String {
        let descriptor: Int32
        do { (descriptor, _) = try FileIO.openRegularFile(path) } catch {
            throw error.kind == .file ? FairgroundError(file: path, expected: "a readable file (\(error.reason))") : error
        }
        defer { close(descriptor) }
        var digest = ContentDigest()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FairgroundError(file: path, expected: "a readable file (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            chunk.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
        return digest.hexadecimal
    }
}
