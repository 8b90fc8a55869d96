import FileSupport
import TestSupport
import Testing
import Linear
@testable import Recommender
import TrainingData
#if canImport(Glibc)
import Glibc
#endif


@Suite struct ModelFileTests {
    func model() throws -> FactorModel {
        try ImplicitALS(configuration: configuration(.cholesky, iterations: 2)).train(InteractionData(matrix: plantedMatrix())).model
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

