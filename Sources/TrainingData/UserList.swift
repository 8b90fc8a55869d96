import FileSupport

/// A file of user ids, one per line (blank lines and `#` comments allowed): the users `train --exclude-users`
/// leaves out, e.g. a suppression list of people who opted out.
public enum UserList {
    /// Reads the ids.
    ///
    /// - Throws: ``FairgroundError`` naming the file and line of anything but a non-negative integer id.
    public static func read(path: String) throws(FairgroundError) -> Set<Int> {
        let text = try FileIO.readText(path, expecting: "a readable list of user ids")
        var ids: Set<Int> = []
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let id = String(line.trimmingSpaces)
            if id.isEmpty { continue }
            guard let value = Int(id), value >= 0, value < Int(Int32.max) else {
                throw FairgroundError(file: path, line: n + 1, expected: "a user id (a whole number from 0)", found: id)
            }
            ids.insert(value)
        }
        return ids
    }
}
