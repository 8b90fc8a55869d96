import FileSupport
import Linear
import TestSupport
import Testing
import TrainingData

/// Reading interaction files into training data.
@Suite struct InteractionReaderTests {
    @Test func readsMatrixMarketAndCSV() throws {
        let mtx = writeText("%%MatrixMarket matrix coordinate real general\n% comment\n3 4 3\n1 2 1.5\n3 4 2\n1 2 1\n", "a.mtx")
        let m = try InteractionReader.read(path: mtx).matrix
        #expect(m.rows == 3 && m.columns == 4 && m[0, 1] == 2.5 && m[2, 3] == 2 && m.nonzeroCount == 2)
        let csv = writeText("user_id,item_id,weight\n0,1,1\n2,3,4\n", "a.csv")
        let c = try InteractionReader.read(path: csv).matrix
        #expect(c.rows == 3 && c.columns == 4 && c[2, 3] == 4)
    }

    /// A repeated (user, item) pair is summed in the matrix, and its row is kept term by term, in file order, for
    /// conventions that count every input row (Spark's); a file without repeats keeps nothing extra.
    @Test func repeatedPairsAreSummedAndKeptTermByTerm() throws {
        let mtx = writeText("%%MatrixMarket matrix coordinate real general\n4 5 7\n2 3 2\n1 1 1\n2 3 -1\n2 1 4\n"
                            + "4 5 1\n2 3 0.5\n4 2 1\n", "repeats.mtx")
        let csv = writeText("user_id,item_id,weight\n1,2,2\n0,0,1\n1,2,-1\n1,0,4\n3,4,1\n1,2,0.5\n3,1,1\n",
                            "repeats.csv")
        for path in [mtx, csv] {
            let data = try InteractionReader.read(path: path)
            #expect(data.matrix[1, 2] == 1.5 && data.matrix.nonzeroCount == 5, "\(path)")
            let d = try #require(data.duplicates, "\(path)")
            #expect(d.rows == [1] && d.repeatedEntries == 2 && d.first == (1, 2))
            let terms = try #require(d.terms(ofRow: 1))
            #expect(terms.map(\.item) == [0, 2, 2, 2] && terms.map(\.weight) == [4, 2, -1, 0.5])
            #expect(d.terms(ofRow: 0) == nil && d.terms(ofRow: 3) == nil)
        }
        let plain = writeText("user_id,item_id,weight\n1,2,2\n0,0,1\n1,1,-1\n", "no-repeats.csv")
        #expect(try InteractionReader.read(path: plain).duplicates == nil)
    }

    @Test(arguments: [
        ("%%MatrixMarket matrix array real general\n2 2\n1\n", 1, "coordinate"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n", 3, "indices within"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan\n", 3, "a finite weight"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 inf\n", 3, "a finite weight"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n", nil, "2 entries"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 0\n", nil, "at least one entry"),
        ("%%MatrixMarket matrix coordinate real general\n2 x 1\n", 2, "rows columns entries"),
    ] as [(String, Int?, String)])
    func badMatrixMarketIsRefusedWithTheLine(text: String, line: Int?, phrase: String) {
        // Named by the whole text: cases run in parallel, and two of them (nan, inf) share line, phrase and length.
        let key = text.unicodeScalars.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1.value)) &* 1_099_511_628_211 }
        let path = writeText(text, "bad-\(key).mtx")
        do {
            _ = try InteractionReader.read(path: path)
            Issue.record("accepted:\n\(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(phrase), "\(error)")
            #expect(error.source == path)
        }
    }

    @Test func badCSVIsRefused() {
        let path = writeText("user,item,weight\n0,1,1\n0,x,1\n", "bad.csv")
        #expect(throws: FairgroundError(file: path, line: 3, expected: "'user,item,weight' with ids ≥ 0", found: "0,x,1")) {
            try InteractionReader.read(path: path)
        }
    }
    /// Ratings feedback (±1) is read as it is; what a negative weight means is the model's rule, not the reader's.
    @Test func negativeWeightsAreRead() throws {
        let path = writeText("user,item,weight\n0,1,-1\n1,0,1\n", "ratings.csv")
        let data = try InteractionReader.read(path: path)
        #expect(data.matrix[0, 1] == -1 && data.matrix[1, 0] == 1 && data.userIDs == [0, 1] && data.source == path)
    }

    /// A generated file names its first user; the reader gives rows those global ids.
    @Test func generatedFilesKeepGlobalUserIDs() throws {
        var bytes = MatrixMarketWriter.header(rows: 2, columns: 3, entries: 2,
                                              comment: "fairground: t, seed 1, " + MatrixMarketWriter.userRangeComment(firstUser: 500))
        MatrixMarketWriter.appendRow(0, columns: [2], values: [3], to: &bytes)
        MatrixMarketWriter.appendRow(1, columns: [0], values: [0.25], to: &bytes)
        let path = writeText(String(decoding: bytes, as: UTF8.self), "shard.mtx")
        let data = try InteractionReader.read(path: path)
        #expect(data.userIDs == [500, 501])
        #expect(data.matrix[0, 2] == 3 && data.matrix[1, 0] == 0.25)
    }
}

@Suite struct MatrixMarketWriterTests {
    /// Whole numbers are integers, others the shortest text that reads back as the same Float, and the file
    /// round-trips through the reader.
    @Test func writesWhatTheReaderReadsBack() throws {
        let m = CSRMatrix<Float>(rows: 3, columns: 4, triplets: [(0, 1, 2), (2, 3, 0.1), (2, 0, -1), (1, 2, 12345678)])
        let text = String(decoding: MatrixMarketWriter.bytes(m, comment: "c"), as: UTF8.self)
        #expect(text == "%%MatrixMarket matrix coordinate real general\n% c\n3 4 4\n1 2 2\n2 3 12345678.0\n3 1 -1\n3 4 0.1\n")
        let path = writeText(text, "round-trip.mtx")
        #expect(try InteractionReader.read(path: path).matrix == m)
    }
}

@Suite struct InteractionDataTests {
    /// Validation is the model's first step wherever the data came from: a NaN built in memory is refused with
    /// the user and item named.
    @Test func nonFiniteWeightsAreRefusedWithTheUser() {
        let m = CSRMatrix<Float>(rows: 2, columns: 2, triplets: [(0, 0, 1), (1, 1, .nan)])
        let data = InteractionData(matrix: m, userIDs: [10, 11], source: "memory")
        #expect(throws: FairgroundError(file: "memory", field: "weight", expected: "a finite weight",
                                   found: "nan for user 11, item 1")) { try data.validate() }
    }

    @Test func columnsOfARoleAreFound() {
        let m = CSRMatrix<Float>(rows: 2, columns: 1, triplets: [(0, 0, 1)])
        let data = InteractionData(matrix: m, userColumns: [UserColumn(role: .consent, values: [1, 0])])
        #expect(data.column(.consent)?.values == [1, 0])
        #expect(data.column(.client) == nil)
        #expect(data.userIDs == [0, 1])
    }
}
