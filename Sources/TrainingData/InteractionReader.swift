import Linear
import FileSupport

/// Reads user × item interaction matrices: Matrix Market coordinate files, `user,item,weight` CSV triplets, or a
/// directory written by `fairground generate` (its `interactions.mtx`).
///
/// Duplicate (user, item) entries are summed in the matrix, and the rows that have them are also kept term by
/// term (``InteractionData/duplicates``) for conventions that count each entry separately (Spark's). Every entry
/// must have in-range indices and a finite weight; anything else is refused with the line number. Row `r` is user `r` (0-based ids), except in a file written by
/// `fairground generate`, whose header comment names the first user of its range.
public enum InteractionReader {
    /// Reads training data from a `.mtx` or `.csv` file, or a generated directory.
    ///
    /// - Throws: ``FairgroundError`` naming the file and line: malformed header, index out of range, NaN weight,
    ///   wrong entry count, empty matrix, unreadable file.
    public static func read(path: String) throws(FairgroundError) -> InteractionData {
        if isDirectory(path) {
            // A generated directory: its interactions must be those its record lists (not another run's).
            try DirectoryRecord.verify(directory: path, files: ["interactions.mtx"])
            return try read(path: path + "/interactions.mtx")
        }
        let bytes = try FileIO.readBytes(path, expecting: "a readable interaction file")
        if path.hasSuffix(".csv") {
            let (matrix, duplicates) = try parseCSV(bytes, file: path)
            var data = InteractionData(matrix: matrix, source: path)
            data.duplicates = duplicates
            return data
        }
        let (matrix, duplicates, firstUser) = try parseMatrixMarket(bytes, file: path)
        var data = InteractionData(matrix: matrix, userIDs: Array(firstUser..<(firstUser + matrix.rows)), source: path)
        data.shapeIsDeclared = true
        data.duplicates = duplicates
        return data
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

    /// The largest id a CSV or Matrix Market file may use, plus one (2³¹ − 1, as the matrix stores column indices
    /// in 32 bits).
    static let largestID = Int(Int32.max)

    static func fields(_ line: ArraySlice<UInt8>, separator: UInt8?) -> [Substring] {
        let text = Substring(decoding: line, as: UTF8.self)
        if let separator {
            return text.split(separator: Character(UnicodeScalar(separator)), omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces }
        }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// Parses a Matrix Market file in one pass over its bytes, without materialising lines; also returns the
    /// first user id that a ``MatrixMarketWriter/userRangeComment(firstUser:)`` line declares (else 0).
    static func parseMatrixMarket(_ bytes: [UInt8], file: String) throws(FairgroundError)
        -> (matrix: CSRMatrix<Float>, duplicates: DuplicatePairs?, firstUser: Int)
    {
        var scanner = LineScanner(bytes: bytes)
        guard let first = scanner.next() else { throw FairgroundError(file: file, line: 1, expected: "a Matrix Market header") }
        let header = fields(first.text, separator: nil).map { $0.lowercased() }
        guard header.count == 5, header[0] == "%%matrixmarket", header[1] == "matrix", header[2] == "coordinate",
            ["real", "integer", "pattern"].contains(header[3]), header[4] == "general"
        else {
            throw FairgroundError(file: file, line: 1,
                             expected: "'%%MatrixMarket matrix coordinate real|integer|pattern general'",
                             found: String(decoding: first.text, as: UTF8.self))
        }
        let pattern = header[3] == "pattern"
        var sizeLine = scanner.next()
        var firstUser = 0
        while let line = sizeLine, line.text.isEmpty || line.text.first == UInt8(ascii: "%") {
            if let first = MatrixMarketWriter.firstUser(inComment: Substring(decoding: line.text, as: UTF8.self)) {
                firstUser = first
            }
            sizeLine = scanner.next()
        }
        guard let sizeLine else { throw FairgroundError(file: file, line: scanner.lineNumber, expected: "a size line") }
        let size = fields(sizeLine.text, separator: nil)
        guard size.count == 3, let rows = Int(size[0]), let columns = Int(size[1]), let count = Int(size[2]),
            rows > 0, columns > 0, count >= 0, columns <= Int(Int32.max), rows <= Int(Int32.max)
        else {
            throw FairgroundError(file: file, line: sizeLine.number, expected: "'rows columns entries' (positive sizes)",
                             found: String(decoding: sizeLine.text, as: UTF8.self))
        }
        // Every entry takes at least four bytes ("1 1\n"): a larger count cannot be this file's.
        guard count <= bytes.count / 4 else {
            throw FairgroundError(file: file, field: "entries", line: sizeLine.number,
                             expected: "at most \(bytes.count / 4) entries (a file of \(bytes.count) bytes cannot hold more)",
                             found: "\(count)")
        }
        try MemoryBudget.check(bytes: 8 * Double(rows) + 4 * Double(columns) + 24 * Double(count), file: file,
                               field: "rows", what: "a \(rows) × \(columns) matrix with \(count) entries",
                               advice: "split the matrix by users")
        var coordinates = Coordinates(capacity: count)
        while let line = scanner.next() {
            if line.text.isEmpty || line.text.first == UInt8(ascii: "%") { continue }
            var cursor = NumberCursor(line.text)
            guard let i = cursor.integer(), let j = cursor.integer() else {
                throw FairgroundError(file: file, line: line.number, expected: pattern ? "'row column'" : "'row column value'",
                                 found: String(decoding: line.text, as: UTF8.self))
            }
            guard i >= 1, i <= rows, j >= 1, j <= columns else {
                throw FairgroundError(file: file, line: line.number, expected: "indices within 1…\(rows) and 1…\(columns)",
                                 found: "\(i) \(j)")
            }
            var value: Float = 1
            if !pattern {
                guard let token = cursor.token(), let v = Float(Substring(decoding: token, as: UTF8.self)), v.isFinite
                else {
                    throw FairgroundError(file: file, line: line.number, expected: "a finite weight",
                                     found: String(decoding: cursor.rest, as: UTF8.self))
                }
                value = v
            }
            guard cursor.token() == nil else {
                throw FairgroundError(file: file, line: line.number, expected: pattern ? "'row column'" : "'row column value'",
                                 found: String(decoding: line.text, as: UTF8.self))
            }
            coordinates.append(row: i - 1, column: j - 1, value: value)
        }
        guard coordinates.count == count else {
            throw FairgroundError(file: file, expected: "\(count) entries as the size line says", found: "\(coordinates.count)")
        }
        guard count > 0 else { throw FairgroundError(file: file, expected: "a matrix with at least one entry", found: "none") }
        let (matrix, duplicates) = coordinates.matrix(rows: rows, columns: columns)
        return (matrix, duplicates, firstUser)
    }

    static func parseCSV(_ bytes: [UInt8], file: String) throws(FairgroundError)
        -> (matrix: CSRMatrix<Float>, duplicates: DuplicatePairs?)
    {
        let all = lines(bytes)
        guard let first = all.first else { throw FairgroundError(file: file, line: 1, expected: "a header user,item,weight") }
        let header = fields(first.text, separator: UInt8(ascii: ","))
        guard header.count == 3, ["user", "user_id"].contains(header[0]), ["item", "item_id"].contains(header[1]),
            ["weight", "rating", "count", "value"].contains(header[2])
        else {
            throw FairgroundError(file: file, line: 1, expected: "the header user,item,weight (or user_id,item_id,weight)",
                             found: String(decoding: first.text, as: UTF8.self))
        }
        var triplets = Coordinates(capacity: all.count - 1)
        var rows = 0, columns = 0
        for (number, text) in all.dropFirst() where !text.isEmpty {
            let f = fields(text, separator: UInt8(ascii: ","))
            guard f.count == 3, let u = Int(f[0]), let i = Int(f[1]), u >= 0, i >= 0 else {
                throw FairgroundError(file: file, line: number, expected: "'user,item,weight' with ids ≥ 0",
                                 found: String(decoding: text, as: UTF8.self))
            }
            // Ids index rows and columns directly: bounded so that no size computed from them can overflow.
            guard u < Self.largestID, i < Self.largestID else {
                throw FairgroundError(file: file, field: u >= Self.largestID ? "user" : "item", line: number,
                                 expected: "an id below \(Self.largestID) (ids index the matrix directly: renumber "
                                     + "them from 0)", found: "\(max(u, i))")
            }
            guard let w = Float(f[2]), w.isFinite else {
                throw FairgroundError(file: file, line: number, expected: "a finite weight", found: String(f[2]))
            }
            triplets.append(row: u, column: i, value: w)
            rows = max(rows, u + 1)
            columns = max(columns, i + 1)
        }
        guard triplets.count > 0 else { throw FairgroundError(file: file, expected: "at least one interaction", found: "none") }
        // A row pointer per user id up to the largest: refuse ids so sparse that the matrix would not fit.
        try MemoryBudget.check(bytes: 8 * Double(rows) + 4 * Double(columns) + 24 * Double(triplets.count),
                               file: file, field: "user",
                               what: "a \(rows) × \(columns) matrix (the largest ids plus one)",
                               advice: "renumber the ids from 0 so they are dense")
        return triplets.matrix(rows: rows, columns: columns)
    }
}

/// Lines of a byte buffer with 1-based numbers, without copying.
struct LineScanner {
    let bytes: [UInt8]
    var position = 0
    var lineNumber = 0

    mutating func next() -> (number: Int, text: ArraySlice<UInt8>)? {
        guard position < bytes.count else { return nil }
        var end = position
        while end < bytes.count && bytes[end] != 10 { end += 1 }
        var stop = end
        if stop > position && bytes[stop - 1] == 13 { stop -= 1 }
        let line = bytes[position..<stop]
        position = end + 1
        lineNumber += 1
        return (lineNumber, line)
    }
}

/// Reads whitespace-separated tokens and integers from one line.
struct NumberCursor {
    var rest: ArraySlice<UInt8>

    init(_ line: ArraySlice<UInt8>) { rest = line }

    mutating func token() -> ArraySlice<UInt8>? {
        while let c = rest.first, c == 32 || c == 9 { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var end = rest.startIndex
        while end < rest.endIndex, rest[end] != 32, rest[end] != 9 { end += 1 }
        let t = rest[rest.startIndex..<end]
        rest = rest[end...]
        return t
    }

    mutating func integer() -> Int? {
        guard let t = token(), !t.isEmpty, t.count <= 18 else { return nil }
        var v = 0
        for c in t {
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }
}

/// Compact COO storage (12 bytes an entry) turned into CSR by a counting sort.
struct Coordinates {
    var rows: [Int32] = [], columns: [Int32] = [], values: [Float] = []

    init(capacity: Int) {
        rows.reserveCapacity(capacity)
        columns.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { rows.count }

    mutating func append(row: Int, column: Int, value: Float) {
        rows.append(Int32(row))
        columns.append(Int32(column))
        values.append(value)
    }

    /// CSR with columns sorted within each row and duplicates summed, and the terms of the rows that repeat a
    /// pair (each pair's terms in file order).
    func matrix(rows n: Int, columns m: Int) -> (matrix: CSRMatrix<Float>, duplicates: DuplicatePairs?) {
        var pointers = [Int](repeating: 0, count: n + 1)
        for r in rows { pointers[Int(r) + 1] += 1 }
        for i in 0..<n { pointers[i + 1] += pointers[i] }
        var next = pointers
        var cols = [Int32](repeating: 0, count: count), vals = [Float](repeating: 0, count: count)
        for p in 0..<count {
            let r = Int(rows[p])
            cols[next[r]] = columns[p]
            vals[next[r]] = values[p]
            next[r] += 1
        }
        var outPointers = [0], outCols: [Int32] = [], outVals: [Float] = []
        outPointers.reserveCapacity(n + 1)
        outCols.reserveCapacity(count)
        outVals.reserveCapacity(count)
        var repeatedRows: [Int] = [], termPointers = [0], termCols: [Int32] = [], termVals: [Float] = []
        var order: [Int] = []
        for i in 0..<n {
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: pointers[i]..<pointers[i + 1])
            // Stable within a pair: the counting sort kept file order, and ties fall by position.
            order.sort { cols[$0] != cols[$1] ? cols[$0] < cols[$1] : $0 < $1 }
            let start = outCols.count
            for p in order {
                if outCols.count > start, outCols[outCols.count - 1] == cols[p] {
                    outVals[outVals.count - 1] += vals[p]
                } else {
                    outCols.append(cols[p])
                    outVals.append(vals[p])
                }
            }
            if outCols.count - start < order.count {
                repeatedRows.append(i)
                for p in order {
                    termCols.append(cols[p])
                    termVals.append(vals[p])
                }
                termPointers.append(termCols.count)
            }
            outPointers.append(outCols.count)
        }
        let matrix = CSRMatrix(rows: n, columns: m, rowPointers: outPointers, columnIndices: outCols, values: outVals)
        guard !repeatedRows.isEmpty else { return (matrix, nil) }
        return (matrix, DuplicatePairs(rows: repeatedRows, rowPointers: termPointers, columnIndices: termCols,
                                       values: termVals))
    }
}

extension Substring {
    /// Without leading and trailing spaces, in time linear in their number (walking UTF-8 code units, not
    /// characters).
    var trimmingSpaces: Substring {
        let u = utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi && u[lo] == 32 { lo = u.index(after: lo) }
        while hi > lo && u[u.index(before: hi)] == 32 { hi = u.index(before: hi) }
        return self[lo..<hi]
    }
}
