public import Linear
import FileSupport

/// Writes sparse matrices as Matrix Market `coordinate real general` files (1-based), atomically.
public enum MatrixMarketWriter {
    /// The file's bytes.
    public static func bytes(_ m: CSRMatrix<Float>, comment: String? = nil) -> [UInt8] {
        var text = "%%MatrixMarket matrix coordinate real general\n"
        if let comment { text += "% \(comment)\n" }
        text += "\(m.rows) \(m.columns) \(m.nonzeroCount)\n"
        var bytes = Array(text.utf8)
        bytes.reserveCapacity(bytes.count + m.nonzeroCount * 16)
        for u in 0..<m.rows {
            for p in m.rowPointers[u]..<m.rowPointers[u + 1] {
                let v = m.values[p]
                let value = v == v.rounded() && abs(v) < 1e7 ? String(Int(v)) : v.description
                bytes += Array("\(u + 1) \(Int(m.columnIndices[p]) + 1) \(value)\n".utf8)
            }
        }
        return bytes
    }

    /// Writes several matrices into `directory`, all renamed into place only when every one was written.
    ///
    /// - Throws: ``InputError`` when a file cannot be written; nothing is left half-written.
    public static func write(_ files: [(name: String, matrix: CSRMatrix<Float>)], into directory: String,
                             comment: String? = nil) throws(InputError) {
        do {
            let output = try StagedOutput(directory: directory)
            for (name, matrix) in files {
                let file = try output.open(name)
                try file.write(bytes(matrix, comment: comment))
                try file.close()
            }
            try output.commit()
        } catch {
            throw InputError(file: directory, expected: "a writable directory (\(error.reason))")
        }
    }

    /// Writes a matrix to `path` (temporary name, then rename).
    ///
    /// - Throws: ``InputError`` when the file cannot be written.
    public static func write(_ m: CSRMatrix<Float>, to path: String, comment: String? = nil) throws(InputError) {
        do { try writeAtomically(bytes(m, comment: comment), to: path) } catch {
            throw InputError(file: path, expected: "a writable path (\(error.reason))")
        }
    }
}
