#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The commit record of a multi-file output directory: `manifest.json`, listing every file with its size, is
/// removed before a commit renames the new files into place and written last (``StagedOutput/record``). So a run
/// interrupted mid-commit leaves no record, and a directory whose files do not match its record — mixed from two
/// runs, or files left from an older one — is refused by ``verify(directory:files:)`` instead of being read.
public enum DirectoryRecord {
    /// The record's file name.
    public static let name = "manifest.json"

    struct Listing: Decodable {
        struct File: Decodable {
            var name: String
            var bytes: Int
        }
        var files: [File]
    }

    /// Checks the record of `directory`: it exists, every file it lists has the recorded size, and each of
    /// `files` (when given) is listed — a cheap `stat` per file, no reading.
    ///
    /// - Throws: ``InputError`` naming the directory and what differs.
    public static func verify(directory: String, files: [String] = []) throws(InputError) {
        let path = directory + "/" + name
        guard FileIO.exists(path) else {
            throw InputError(file: directory, field: name,
                             expected: "a complete directory (its \(name) is written last; without it a run was "
                                 + "interrupted before its commit or the directory is not a generated one)")
        }
        let listing: Listing
        do {
            listing = try JSONDecoder().decode(Listing.self, from: Data(try FileIO.readBytes(path)))
        } catch {
            throw InputError(file: path, field: "files", expected: "the list of the directory's files and sizes")
        }
        var differences: [String] = []
        for file in listing.files {
            let size = FileIO.size(directory + "/" + file.name)
            if size != file.bytes {
                differences.append("\(file.name): \(size.map { "\($0) bytes" } ?? "missing"), recorded \(file.bytes)")
            }
        }
        for file in files where !listing.files.contains(where: { $0.name == file }) {
            differences.append("\(file) is not part of the recorded output (left from an earlier run)")
        }
        guard differences.isEmpty else {
            throw InputError(file: path, field: "files",
                             expected: "the files of one run, as recorded (the directory mixes runs or was changed)",
                             found: differences.joined(separator: "; "))
        }
    }
}
