public import Linear
internal import FileSupport

/// Reads user × item interaction matrices: Matrix Market coordinate files, `user,item,weight` CSV triplets, or a
/// directory written by `fairground generate` (its `interactions.mtx`).
///
/// Duplicate entries are summed. Every entry must have in-range indices and a finite, non-negative weight;
/// anything else is refused with the line number.
public enum InteractionReader {
    /// Reads a matrix from a `.mtx` or `.csv` file, or a generated directory.
    ///
    /// - Throws: ``InputError`` naming the file and line: malformed header, index out of range, NaN or negative
    ///   weight, wrong entry count, empty matrix, unreadable file.
    public static func read(path: String) throws(InputError) -> CSRMatrix<Float> {
        if isDirectory(path) { return try read(path: path + "/interactions.mtx") }
        let bytes: [UInt8]
        do { bytes = try FileIO.readBytes(path) } catch {
            throw InputError(file: path, expected: "a readable interaction file (\(error.reason))")
        }
        if path.hasSuffix(".csv") { return try parseCSV(bytes, file: path) }
        return try parseMatrixMarket(bytes, file: path)
    }

    static func isDirectory(_ path: String) -> Bool { FileIO.exists(path + "/.") }

    /// Splits bytes into lines, keeping 1-based line numbers.
    static func lines(_ bytes: [UInt8]) -> [(number: Int, text: ArraySlice<UInt8>)] {
        var out: [(Int, ArraySlice<UInt8>)] = []
        var start = 0, number = 1
        for i in bytes.indices where bytes[i] == 10 {
            var end = i
            if end > start && bytes[end - 1] == 13 { end -= 1 }
            out.append((number, bytes[start..<end]))
            start = i + 1
            number += 1
        }
        if start < bytes.count { out.append((number, bytes[start...])) }
        return out
    }

    static func fields(_ line: ArraySlice<UInt8>, separator: UInt8?) -> [Substring] {
        let text = Substring(decoding: line, as: UTF8.self)
        if let separator {
            return text.split(separator: Character(UnicodeScalar(separator)), omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces }
        }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    static func parseMatrixMarket(_ bytes: [UInt8], file: String) throws(InputError) -> CSRMatrix<Float> {
        let all = lines(bytes)
        guard let first = all.first else { throw InputError(file: file, line: 1, expected: "a Matrix Market header") }
        let header = fields(first.text, separator: nil).map { $0.lowercased() }
        guard header.count == 5, header[0] == "%%matrixmarket", header[1] == "matrix", header[2] == "coordinate",
            ["real", "integer", "pattern"].contains(header[3]), header[4] == "general"
        else {
            throw InputError(file: file, line: 1,
                             expected: "'%%MatrixMarket matrix coordinate real|integer|pattern general'",
                             found: String(decoding: first.text, as: UTF8.self))
        }
        let pattern = header[3] == "pattern"
        var index = 1
        while index < all.count, all[index].text.first == UInt8(ascii: "%") || all[index].text.isEmpty { index += 1 }
        guard index < all.count else { throw InputError(file: file, line: all.count, expected: "a size line") }
        let size = fields(all[index].text, separator: nil)
        guard size.count == 3, let rows = Int(size[0]), let columns = Int(size[1]), let count = Int(size[2]),
            rows > 0, columns > 0, count >= 0, columns <= Int(Int32.max)
        else {
            throw InputError(file: file, line: all[index].number, expected: "'rows columns entries' (positive sizes)",
                             found: String(decoding: all[index].text, as: UTF8.self))
        }
        var triplets: [(row: Int, column: Int, value: Float)] = []
        triplets.reserveCapacity(count)
        for (number, text) in all[(index + 1)...] where !text.isEmpty && text.first != UInt8(ascii: "%") {
            let f = fields(text, separator: nil)
            guard f.count == (pattern ? 2 : 3), let i = Int(f[0]), let j = Int(f[1]) else {
                throw InputError(file: file, line: number, expected: pattern ? "'row column'" : "'row column value'",
                                 found: String(decoding: text, as: UTF8.self))
            }
            guard i >= 1, i <= rows, j >= 1, j <= columns else {
                throw InputError(file: file, line: number, expected: "indices within 1…\(rows) and 1…\(columns)",
                                 found: "\(i) \(j)")
            }
            let value = pattern ? 1 : Float(f[2])
            guard let value, value.isFinite, value >= 0 else {
                throw InputError(file: file, line: number, expected: "a finite, non-negative weight", found: String(f[2]))
            }
            triplets.append((i - 1, j - 1, value))
        }
        guard triplets.count == count else {
            throw InputError(file: file, expected: "\(count) entries as the size line says", found: "\(triplets.count)")
        }
        guard count > 0 else { throw InputError(file: file, expected: "a matrix with at least one entry", found: "none") }
        return CSRMatrix(rows: rows, columns: columns, triplets: triplets)
    }

    static func parseCSV(_ bytes: [UInt8], file: String) throws(InputError) -> CSRMatrix<Float> {
        let all = lines(bytes)
        guard let first = all.first else { throw InputError(file: file, line: 1, expected: "a header user,item,weight") }
        let header = fields(first.text, separator: UInt8(ascii: ","))
        guard header.count == 3, ["user", "user_id"].contains(header[0]), ["item", "item_id"].contains(header[1]),
            ["weight", "rating", "count", "value"].contains(header[2])
        else {
            throw InputError(file: file, line: 1, expected: "the header user,item,weight (or user_id,item_id,weight)",
                             found: String(decoding: first.text, as: UTF8.self))
        }
        var triplets: [(row: Int, column: Int, value: Float)] = []
        var rows = 0, columns = 0
        for (number, text) in all.dropFirst() where !text.isEmpty {
            let f = fields(text, separator: UInt8(ascii: ","))
            guard f.count == 3, let u = Int(f[0]), let i = Int(f[1]), u >= 0, i >= 0, i < Int(Int32.max) else {
                throw InputError(file: file, line: number, expected: "'user,item,weight' with ids ≥ 0",
                                 found: String(decoding: text, as: UTF8.self))
            }
            guard let w = Float(f[2]), w.isFinite, w >= 0 else {
                throw InputError(file: file, line: number, expected: "a finite, non-negative weight", found: String(f[2]))
            }
            triplets.append((u, i, w))
            rows = max(rows, u + 1)
            columns = max(columns, i + 1)
        }
        guard !triplets.isEmpty else { throw InputError(file: file, expected: "at least one interaction", found: "none") }
        return CSRMatrix(rows: rows, columns: columns, triplets: triplets)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
