import FileSupport
import Testing
import Linear
@testable import Recommender
#if canImport(Glibc)
import Glibc
#endif

func temporaryPath(_ name: String) -> String { "/tmp/fairground-recommender-\(getpid())-\(name)" }

func writeText(_ text: String, _ name: String) -> String {
    let path = temporaryPath(name)
    let f = fopen(path, "w")!
    fputs(text, f)
    fclose(f)
    return path
}

@Suite struct ModelFileTests {
    func model() throws -> FactorModel {
        try ImplicitALS(configuration: configuration(.cholesky, iterations: 2)).train(plantedMatrix()).model
    }

    @Test func roundTrips() throws {
        let m = try model()
        let path = temporaryPath("model.fgm")
        try m.write(to: path)
        #expect(try FactorModel.read(path: path) == m)
    }

    @Test func truncatedOrCorruptedFilesAreRefused() throws {
        let bytes = try model().fileBytes()
        #expect(throws: InputError.self) { try FactorModel.decode(Array(bytes.dropLast(100)), file: "m") }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        do {
            _ = try FactorModel.decode(flipped, file: "m.fgm")
            Issue.record("accepted a corrupted model")
        } catch { #expect(error.description.contains("checksum")) }
        #expect(throws: InputError.self) { try FactorModel.decode(Array("not a model at all, really".utf8), file: "m") }
        #expect(throws: InputError.self) { try FactorModel.read(path: "/nonexistent/model.fgm") }
    }

    @Test func numpyExportHasAValidHeader() throws {
        let m = try model()
        let bytes = FactorModel.npy(m.itemFactors)
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'shape': (60, 8)") && header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 4 * 60 * 8)
    }
}

@Suite struct InteractionReaderTests {
    @Test func readsMatrixMarketAndCSV() throws {
        let mtx = writeText("%%MatrixMarket matrix coordinate real general\n% comment\n3 4 3\n1 2 1.5\n3 4 2\n1 2 1\n", "a.mtx")
        let m = try InteractionReader.read(path: mtx)
        #expect(m.rows == 3 && m.columns == 4 && m[0, 1] == 2.5 && m[2, 3] == 2 && m.nonzeroCount == 2)
        let csv = writeText("user_id,item_id,weight\n0,1,1\n2,3,4\n", "a.csv")
        let c = try InteractionReader.read(path: csv)
        #expect(c.rows == 3 && c.columns == 4 && c[2, 3] == 4)
    }

    @Test(arguments: [
        ("%%MatrixMarket matrix array real general\n2 2\n1\n", 1, "coordinate"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n", 3, "indices within"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan\n", 3, "finite, non-negative"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 -2\n", 3, "finite, non-negative"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n", nil, "2 entries"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 0\n", nil, "at least one entry"),
        ("%%MatrixMarket matrix coordinate real general\n2 x 1\n", 2, "rows columns entries"),
    ] as [(String, Int?, String)])
    func badMatrixMarketIsRefusedWithTheLine(text: String, line: Int?, phrase: String) {
        let path = writeText(text, "bad-\(line ?? 0)-\(phrase.utf8.count)-\(text.utf8.count).mtx")
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
        #expect(throws: InputError(file: path, line: 3, expected: "'user,item,weight' with ids ≥ 0", found: "0,x,1")) {
            try InteractionReader.read(path: path)
        }
    }
}
