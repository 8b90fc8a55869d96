public import Linear
import FileSupport

/// A 2-D NumPy array file (`.npy`, format 1.0–3.0) of little-endian `float32` or `float64` in C order — how
/// factors trained elsewhere (PyTorch, Spark via pyarrow) arrive, one row per user or item.
public enum NumPyMatrix {
    /// Reads the array as single precision.
    ///
    /// - Throws: ``FairgroundError`` naming the file: not an `.npy` file, another dtype, Fortran order, a shape other
    ///   than 2-D, a size that disagrees with the file, or a non-finite value (with its row and column).
    /// A parsed `.npy` file: its bytes, header text and where the data start.
    struct File {
        var bytes: [UInt8]
        var header: String
        var data: Int

        func value(_ key: String) -> Substring? {
            guard let r = header.firstRange(of: "'\(key)':") else { return nil }
            return header[r.upperBound...].drop { $0 == " " }
        }

        /// The shape's dimensions.
        func shape(path: String) throws(FairgroundError) -> [Int] {
            guard let order = value("fortran_order"), order.hasPrefix("False") else {
                throw FairgroundError(file: path, field: "fortran_order", expected: "False (C order; use numpy.ascontiguousarray)")
            }
            guard let shapeText = value("shape"), shapeText.first == "(", let close = shapeText.firstIndex(of: ")") else {
                throw FairgroundError(file: path, field: "shape", expected: "a shape")
            }
            let dims = shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",")
                .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            let values = dims.compactMap { Int($0) }
            guard values.count == dims.count, values.allSatisfy({ $0 >= 0 }) else {
                throw FairgroundError(file: path, field: "shape", expected: "non-negative dimensions", found: String(shapeText[...close]))
            }
            return values
        }

        /// Checks that the data hold exactly `count` values of `width` bytes.
        func checkCount(_ count: Int, width: Int, path: String) throws(FairgroundError) {
            guard count <= (bytes.count - data) / width, count * width == bytes.count - data else {
                throw FairgroundError(file: path, field: "shape", expected: "\(count) values of \(width) bytes "
                                 + "(the file holds \(bytes.count - data) bytes of data)")
            }
        }
    }

    /// Reads and parses the header of the `.npy` file at `path`.
    static func open(_ path: String) throws(FairgroundError) -> File {
        let bytes = try FileIO.readBytes(path, expecting: "a readable .npy file")
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw FairgroundError(file: path, field: "magic", expected: "a NumPy .npy file")
        }
        let major = bytes[6]
        let headerLength: Int, start: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw FairgroundError(file: path, field: "header", expected: "a complete header") }
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
            start = 12
        default:
            throw FairgroundError(file: path, field: "version", expected: "format version 1, 2 or 3", found: "\(major)")
        }
        guard start + headerLength <= bytes.count else {
            throw FairgroundError(file: path, field: "header", expected: "a complete header")
        }
        return File(bytes: bytes, header: String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self),
                    data: start + headerLength)
    }

    /// Reads a 1-D array of little-endian `int32` or `int64` ids (e.g. the `id` column of a Spark factor table).
    ///
    /// - Throws: ``FairgroundError`` naming the file: not an `.npy` file, another dtype or shape, or a size that
    ///   disagrees with the file.
    public static func ids(path: String) throws(FairgroundError) -> [Int] {
        let file = try open(path)
        let width: Int
        if let d = file.value("descr"), d.hasPrefix("'<i4'") { width = 4 } else if let d = file.value("descr"),
                                                                                    d.hasPrefix("'<i8'") {
            width = 8
        } else {
            throw FairgroundError(file: path, field: "descr", expected: "little-endian int32 or int64 ('<i4' or '<i8')",
                             found: file.value("descr").map { String($0.prefix { $0 != "," }) } ?? "none")
        }
        let shape = try file.shape(path: path)
        guard shape.count == 1 else {
            throw FairgroundError(file: path, field: "shape", expected: "a 1-D array of ids", found: "\(shape.count) dimensions")
        }
        try file.checkCount(shape[0], width: width, path: path)
        return file.bytes.withUnsafeBytes { raw in
            (0..<shape[0]).map { i in
                width == 4
                    ? Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: file.data + 4 * i, as: Int32.self)))
                    : Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: file.data + 8 * i, as: Int64.self)))
            }
        }
    }

    public static func read(path: String) throws(FairgroundError) -> Matrix<Float> {
        let file = try open(path)
        let bytes = file.bytes, data = file.data
        func value(_ key: String) -> Substring? { file.value(key) }
        let width: Int
        if let d = value("descr"), d.hasPrefix("'<f4'") { width = 4 } else if let d = value("descr"), d.hasPrefix("'<f8'") {
            width = 8
        } else {
            throw FairgroundError(file: path, field: "descr", expected: "little-endian float32 or float64 ('<f4' or '<f8')",
                             found: value("descr").map { String($0.prefix { $0 != "," }) } ?? "none")
        }
        let shape = try file.shape(path: path)
        guard shape.count == 2, shape[1] >= 1 else {
            throw FairgroundError(file: path, field: "shape", expected: "a 2-D shape (rows, columns)",
                             found: "(" + shape.map(String.init).joined(separator: ", ") + ")")
        }
        let rows = shape[0], columns = shape[1]
        guard columns <= (bytes.count - data) / width, rows <= (bytes.count - data) / width / columns,
              rows * columns * width == bytes.count - data else {
            throw FairgroundError(file: path, field: "shape", expected: "\(rows) × \(columns) values of \(width) bytes "
                             + "(the file holds \(bytes.count - data) bytes of data)")
        }
        var elements = [Float](repeating: 0, count: rows * columns)
        bytes.withUnsafeBytes { raw in
            for i in elements.indices {
                elements[i] = width == 4
                    ? Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: data + 4 * i, as: UInt32.self)))
                    : Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: data + 8 * i, as: UInt64.self))))
            }
        }
        if let bad = elements.firstIndex(where: { !$0.isFinite }) {
            throw FairgroundError(file: path, field: "values", expected: "finite numbers (within single precision)",
                             found: "\(elements[bad]) at row \(bad / columns), column \(bad % columns)")
        }
        return Matrix(rows: rows, columns: columns, elements: elements)
    }
}
