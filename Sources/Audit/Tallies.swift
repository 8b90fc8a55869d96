import Statistics

/// Per-group sums for the data (replicate 0) and each bootstrap replicate (1…B).
struct Tallies {
    let columns: Int
    let replicates: Int
    /// First level slot of each grouping.
    let offsets: [Int]
    let slots: Int
    let data: [Double]
    let squares: [Double]

    init(sums: PoissonBootstrap.Sums, groupings: [Grouping], cells: Grouping, columns: Int, replicates: Int) {
        self.columns = columns
        self.replicates = replicates
        var offsets: [Int] = []
        var slots = 0
        for g in groupings {
            offsets.append(slots)
            slots += g.levels.count
        }
        self.offsets = offsets
        self.slots = slots
        // Which level of each grouping a cell belongs to: the cells are the last grouping (an attribute alone, or
        // the intersection of the others, whose first attribute varies slowest).
        let cellCount = cells.levels.count
        var levelOfCell = [[Int]](repeating: Array(0..<cellCount), count: groupings.count)
        if groupings.count > 1 {
            for cell in 0..<cellCount {
                var rest = cell
                for gi in (0..<(groupings.count - 1)).reversed() {
                    levelOfCell[gi][cell] = rest % groupings[gi].levels.count
                    rest /= groupings[gi].levels.count
                }
            }
        }
        var data = [Double](repeating: 0, count: (replicates + 1) * slots * columns)
        var squares = [Double](repeating: 0, count: slots * columns)
        for (gi, _) in groupings.enumerated() {
            for cell in 0..<cellCount {
                let slot = offsets[gi] + levelOfCell[gi][cell]
                for c in 0..<columns {
                    data[slot * columns + c] += sums.point[cell * columns + c]
                    squares[slot * columns + c] += sums.squares[cell * columns + c]
                }
                for r in 0..<replicates {
                    for c in 0..<columns {
                        data[((r + 1) * slots + slot) * columns + c] +=
                            sums.replicated[(r * cellCount + cell) * columns + c]
                    }
                }
            }
        }
        self.data = data
        self.squares = squares
    }

    /// The sum of `column` over level `level` of grouping `g`, in replicate `r` (0: the data).
    @inline(__always)
    func sum(_ r: Int, _ g: Int, _ level: Int, _ column: Int) -> Double {
        data[(r * slots + offsets[g] + level) * columns + column]
    }

    /// Count, sum and sum of squares of `column` over one group (data only).
    func moments(_ g: Int, _ level: Int, _ column: Int, count countColumn: Int) -> Significance.Moments {
        let slot = offsets[g] + level
        return .init(count: data[slot * columns + countColumn], sum: data[slot * columns + column],
                     sumOfSquares: squares[slot * columns + column])
    }
}
