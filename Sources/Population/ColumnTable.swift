/// Equally long columns of `Double` in one column-major allocation: the attributes (or truths) of a world.
///
/// `table[c]` is column `c`, a zero-based random-access view; `table[c][row]` one value.
public struct ColumnTable: Sendable, Equatable {
    /// The number of columns.
    public let columnCount: Int
    /// The number of rows (values per column).
    public let rowCount: Int
    /// Column-major storage: column `c` is `storage[c * rowCount ..< (c + 1) * rowCount]`.
    let storage: [Double]

    init(columns: Int, rows: Int, storage: [Double]) {
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
        @usableFromInline let storage: [Double]
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
            return storage[offset + row]
        }

        /// Whether two columns hold the same values.
        public static func == (a: Column, b: Column) -> Bool { a.elementsEqual(b) }
    }
}
