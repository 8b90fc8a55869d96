public import Linear
import FileSupport

/// Writes sparse matrices as Matrix Market `coordinate real general` files (1-based): the one writer behind
/// `interactions.mtx` of a generated world and `train.mtx`/`test.mtx` of a split.
///
/// Whole-number weights are written as integers, others in the shortest form that reads back as the same
/// `Float`.
public enum MatrixMarketWriter {
    /// The header: the banner, an optional `%` comment line, and the size line.
    public static func header(rows: Int, columns: Int, entries: Int, comment: String? = nil) -> [UInt8] {
        var text = "%%MatrixMarket matrix coordinate real general\n"
        if let comment { text += "% \(comment)\n" }
        text += "\(rows) \(columns) \(entries)\n"
        return Array(text.utf8)
    }

    /// A comment fragment saying that rows are users from `firstUser` on; ``InteractionReader`` reads it back.
    public static func userRangeComment(firstUser: Int) -> String {
        "rows are user_id - \(firstUser) + 1, columns are item_id + 1"
    }

    /// The first user id a header comment declares with ``userRangeComment(firstUser:)``, if any.
    static func firstUser(inComment line: Substring) -> Int? {
        guard let marker = line.firstRange(of: "rows are user_id - ") else { return nil }
        let digits = line[marker.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }

    /// Appends the entries of one row (`row` 0-based) as lines `row+1 column+1 value`.
    @inlinable
    public static func appendRow(
        _ row: Int, columns: ArraySlice<Int32>, values: ArraySlice<Float>, to bytes: inout [UInt8]
    ) {
        for (column, value) in zip(columns, values) {
            appendInteger(row + 1, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            appendInteger(Int(column) + 1, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            if value == value.rounded() && abs(value) < 1e7 {
                appendInteger(Int(value), to: &bytes)
            } else {
                bytes.append(contentsOf: value.description.utf8)
            }
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends a decimal integer without allocating.
    @inlinable
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    /// The whole file's bytes.
    public static func bytes(_ m: CSRMatrix<Float>, comment: String? = nil) -> [UInt8] {
        var bytes = header(rows: m.rows, columns: m.columns, entries: m.nonzeroCount, comment: comment)
        bytes.reserveCapacity(bytes.count + m.nonzeroCount * 16)
        for u in 0..<m.rows {
            let entries = m.rowPointers[u]..<m.rowPointers[u + 1]
            appendRow(u, columns: m.columnIndices[entries], values: m.values[entries], to: &bytes)
        }
        return bytes
    }

    /// Writes several matrices into `directory`, all renamed into place only when every one was written.
    ///
    /// - Throws: ``FairgroundError`` when a file cannot be written; nothing is left half-written.
    public static func write(_ files: [(name: String, matrix: CSRMatrix<Float>)], into directory: String,
                             comment: String? = nil) throws(FairgroundError) {
        do {
            let output = try StagedOutput(directory: directory)
            for (name, matrix) in files {
                let file = try output.open(name)
                try file.write(bytes(matrix, comment: comment))
                try file.close()
            }
            try output.commit()
        } catch {
            throw FairgroundError(file: directory, expected: "a writable directory (\(error.reason))")
        }
    }

    /// Writes a matrix to `path` (temporary name, then rename).
    ///
    /// - Throws: ``FairgroundError`` when the file cannot be written.
    public static func write(_ m: CSRMatrix<Float>, to path: String, comment: String? = nil) throws(FairgroundError) {
        do { try writeAtomically(bytes(m, comment: comment), to: path) } catch {
            throw FairgroundError(file: path, expected: "a writable path (\(error.reason))")
        }
    }
}
