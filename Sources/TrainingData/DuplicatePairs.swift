/// The rows of an interaction file in which a (user, item) pair occurs more than once, kept entry by entry.
///
/// ``InteractionData/matrix`` sums such entries, which is what Fairground's own training and the `implicit`
/// library do. Spark MLlib's ALS does not: every input row is a separate term of its user's least-squares problem
/// (each positive one adds its own 1 to the right-hand side and counts towards n_u). A fold-in that must reproduce
/// Spark's factors reads these terms instead of the summed row.
///
/// Only the rows that repeat a pair are kept: a file without duplicates costs nothing.
///
/// ```swift
/// let data = try InteractionReader.read(path: "ratings.csv")
/// if let d = data.duplicates { print("\(d.repeatedEntries) entries repeat a pair, in \(d.rows.count) users") }
/// ```
public struct DuplicatePairs: Sendable, Equatable {
    /// The matrix rows that repeat a pair, increasing.
    public let rows: [Int]
    /// Offsets into ``columnIndices`` and ``values``: the terms of row `rows[i]` are
    /// `rowPointers[i] ..< rowPointers[i + 1]`.
    public let rowPointers: [Int]
    /// The item of each term: non-decreasing within a row (a repeated pair's terms are adjacent, in file order).
    public let columnIndices: [Int32]
    /// The weight of each term, as the file gave it.
    public let values: [Float]
    /// How many entries repeat a pair listed earlier (a pair given three times counts two).
    public let repeatedEntries: Int
    /// The first repeated pair, as (matrix row, item), for messages.
    public let first: (row: Int, item: Int)

    /// Creates the terms of the rows that repeat a pair.
    ///
    /// - Precondition: `rows` is increasing and non-empty, `rowPointers` has `rows.count + 1` offsets from 0 to
    ///   the term count, items are non-decreasing within each row, and every row repeats at least one item.
    public init(rows: [Int], rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(!rows.isEmpty && zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }, "Rows must increase")
        precondition(rowPointers.count == rows.count + 1 && rowPointers.first == 0
                     && rowPointers.last == columnIndices.count && values.count == columnIndices.count,
                     "Pointers and terms disagree")
        var repeated = 0
        var first: (Int, Int)?
        for (i, row) in rows.enumerated() {
            let lo = rowPointers[i], hi = rowPointers[i + 1]
            precondition(lo < hi, "A row without terms")
            var repeatsHere = 0
            for p in (lo + 1)..<max(lo + 1, hi) {
                precondition(columnIndices[p] >= columnIndices[p - 1], "Items must not decrease within a row")
                if columnIndices[p] == columnIndices[p - 1] {
                    repeatsHere += 1
                    if first == nil { first = (row, Int(columnIndices[p])) }
                }
            }
            precondition(repeatsHere > 0, "Row \(row) repeats no pair")
            repeated += repeatsHere
        }
        self.rows = rows
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
        self.repeatedEntries = repeated
        self.first = first!
    }

    /// The terms of matrix row `row` when it repeats a pair, else `nil`.
    public func terms(ofRow row: Int) -> [(item: Int, weight: Float)]? {
        guard let i = index(ofRow: row) else { return nil }
        return (rowPointers[i]..<rowPointers[i + 1]).map { (Int(columnIndices[$0]), values[$0]) }
    }

    /// The position of `row` in ``rows``, if it repeats a pair.
    public func index(ofRow row: Int) -> Int? {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid] == row { return mid }
            if rows[mid] < row { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Whether two sets hold the same rows and terms.
    public static func == (a: DuplicatePairs, b: DuplicatePairs) -> Bool {
        a.rows == b.rows && a.rowPointers == b.rowPointers && a.columnIndices == b.columnIndices && a.values == b.values
    }
}
