/// Equally long columns of numbers in one column-major allocation: the attributes (or truths) of a world.
///
/// `table[c]` is column `c`, a zero-based random-access view; `table[c][row]` one value. Values are stored in
/// single precision — the precision the output files carry (about 7 significant digits) — which halves the
/// memory a large population needs; they are read back as `Double`.
public struct ColumnTable: Sendable, Equatable {
    /// The number of columns.
    public let columnCount: Int
    /// The number of rows (values per column).
    public let rowCount: Int
    /// Column-major storage: column `c` is `storage[c * rowCount ..< (c + 1) * rowCount]`.
    let storage: [Float]

    init(columns: Int, rows: Int, storage: [Float]) {
        precondition(storage.count == columns * rows, "ColumnTable storage must hold columns × rows values")
        columnCount = columns
        rowCount = rows
        self.storage = storage
    }

    /// Column `c`.
    public subscript(c: Int) -> Column {
        precondition(c >= 0 && c < columnCount, "Column index out of range")
        return Column(storage: storage, offset: c * rowCount, count: rowCount)
    }

    /// The number of columns (for iteration with `indices`).
    public var indices: Range<Int> { 0..<columnCount }

    /// One column: a zero-based view into the table's storage.
    public struct Column: RandomAccessCollection, Sendable, Equatable {
        @usableFromInline let storage: [Float]
        @usableFromInline let offset: Int
        /// The number of values.
        public let count: Int

        /// 0.
        public var startIndex: Int { 0 }
        /// The number of values.
        public var endIndex: Int { count }

        /// The value in `row`.
        @inlinable
        public subscript(row: Int) -> Double {
            precondition(row >= 0 && row < count, "Row index out of range")
            return Double(storage[offset + row])
        }

        /// Whether two columns hold the same values.
        public static func == (a: Column, b: Column) -> Bool { a.elementsEqual(b) }
    }
}
