import TrainingData
import Linear
import FileSupport
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The model file format, version 1 (little-endian):
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `FGMODEL\0` |
/// | 4 | format version (1) |
/// | 4 | length L of the JSON header |
/// | L | JSON header: dimensions, iterations run, hyper-parameters, and the holdout check when measured |
/// | 4·users·k | user factors, float32, row-major |
/// | 4·items·k | item factors, float32, row-major |
/// | 8 | FNV-1a 64 checksum of every byte before it |
extension FactorModel {
    static let magic: [UInt8] = Array("FGMODEL".utf8) + [0]
    static let formatVersion: UInt32 = 1

    struct Header: Codable {
        var users: Int
        var items: Int
        var factors: Int
        var iterationsRun: Int
        var configuration: ALSConfiguration
        var holdout: HoldoutCheck?
        var selection: TrainingSelection.Record?
        var privacy: PrivacyGuarantee?
        var federation: FederationRecord?
    }

    /// The model as the bytes of a model file.
    ///
    /// - Throws: ``FairgroundError`` when the header cannot be encoded.
    public func fileBytes() throws(FairgroundError) -> [UInt8] {
        let header = Header(users: users, items: items, factors: factors, iterationsRun: iterationsRun,
                            configuration: configuration, holdout: holdout, selection: selection,
                            privacy: privacy, federation: federation)
        let json = try JSONOutput.bytes(header, pretty: false, what: "the model header")
        var bytes = Self.magic
        bytes.reserveCapacity(24 + json.count + 4 * (userFactors.elements.count + itemFactors.elements.count))
        Self.append(Self.formatVersion, to: &bytes)
        Self.append(UInt32(json.count), to: &bytes)
        bytes += json
        for m in [userFactors, itemFactors] {
            m.elements.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        Self.append(FNV1a.hash(bytes), to: &bytes)
        return bytes
    }

    /// Writes the model file atomically (temporary name, then rename).
    ///
    /// - Throws: ``FairgroundError`` when the file cannot be written.
    public func write(to path: String) throws(FairgroundError) {
        do { try writeAtomically(fileBytes(), to: path) } catch {
            throw FairgroundError(file: path, expected: "a writable model path (\(error.reason))")
        }
    }

    /// Reads a model file, refusing truncated, corrupted or foreign files, and models `train` could not have
    /// written (``validate()``).
    ///
    /// - Throws: ``FairgroundError`` naming the file, the field and what is wrong.
    public static func read(path: String) throws(FairgroundError) -> FactorModel {
        let bytes = try FileIO.readBytes(path, expecting: "a readable model file")
        return try decode(bytes, file: path)
    }

    /// Decodes the bytes of a model file: its magic, version, checksum and sizes, then what it says — the model must
    /// pass ``validate()`` (finite factors, a configuration `train` accepts, header values in their ranges), since
    /// a matching checksum proves only that the bytes are the writer's.
    ///
    /// - Throws: ``FairgroundError`` located in `file`, with the header field at fault (`configuration.regularization`,
    ///   `iterationsRun`, …, or `user_factors`/`item_factors`), what was expected and what was found.
    public static func decode(_ bytes: [UInt8], file: String) throws(FairgroundError) -> FactorModel {
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else {
            throw FairgroundError(file: file, expected: "a Fairground model file (magic FGMODEL)")
        }
        let version = load(UInt32.self, bytes, at: 8)
        guard version == formatVersion else {
            throw FairgroundError(file: file, expected: "model format version \(formatVersion)", found: "\(version)")
        }
        let stored = load(UInt64.self, bytes, at: bytes.count - 8)
        guard FNV1a.hash(bytes[0..<(bytes.count - 8)]) == stored else {
            throw FairgroundError(file: file, expected: "an intact model file (the checksum does not match: truncated or corrupted)")
        }
        let length = Int(load(UInt32.self, bytes, at: 12))
        guard 16 + length <= bytes.count - 8 else { throw FairgroundError(file: file, expected: "a complete header") }
        let header = try decodeHeader(Array(bytes[16..<(16 + length)]), file: file)
        // Sizes from the header are checked against the file before anything is allocated (a valid checksum
        // proves only that the bytes are the writer's, not that the header is sane).
        let start = 16 + length
        let available = bytes.count - start - 8
        guard header.factors <= available / 4, header.users <= available / 4 / header.factors,
              header.items <= available / 4 / header.factors,
              4 * header.factors * (header.users + header.items) == available else {
            throw FairgroundError(file: file, field: "header",
                             expected: "factor data of the size the header states (\(header.users) users and "
                                 + "\(header.items) items × \(header.factors) factors)",
                             found: "\(available) bytes of factors")
        }
        let userCount = header.users * header.factors, itemCount = header.items * header.factors
        func floats(_ offset: Int, _ count: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: count) { buffer, n in
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 4 * count)]))
                }
                n = count
            }
        }
        var model = FactorModel(
            userFactors: Matrix(rows: header.users, columns: header.factors, elements: floats(start, userCount)),
            itemFactors: Matrix(rows: header.items, columns: header.factors, elements: floats(start + 4 * userCount, itemCount)),
            configuration: header.configuration, iterationsRun: header.iterationsRun, holdout: header.holdout,
            selection: header.selection, privacy: header.privacy)
        model.federation = header.federation
        do { try model.validate() } catch { throw error.relocated(to: .file(file)) }
        return model
    }

    /// The JSON header, refused naming the key at fault: a value of the wrong type, missing, or out of its type's
    /// range (`configuration.regularization: expected a number (Float), found 'a string'`), or counts that
    /// cannot describe factor matrices.
    private static func decodeHeader(_ json: [UInt8], file: String) throws(FairgroundError) -> Header {
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(json)) } catch {
            func path(_ keys: [CodingKey]) -> String {
                keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
            }
            switch error as? DecodingError {
            case .keyNotFound(let key, let context)?:
                throw FairgroundError(file: file, field: path(context.codingPath + [key]),
                                      expected: "a value for this field of the model header")
            case .typeMismatch(let type, let context)?, .valueNotFound(let type, let context)?:
                throw FairgroundError(file: file, field: path(context.codingPath),
                                      expected: "a value of type \(type) in the model header")
            case .dataCorrupted(let context)? where !context.codingPath.isEmpty:
                throw FairgroundError(file: file, field: path(context.codingPath),
                                      expected: "a value the model header allows", found: context.debugDescription)
            default:
                // Foundation's decoder reports a number beyond its field's type (α = 1e300, a count past 2⁶³) as
                // invalid JSON, without a key.
                throw FairgroundError(file: file, field: "header",
                                      expected: "a JSON model header whose numbers fit their fields (counts in 64-bit "
                                          + "integers, λ and α in 32-bit floats)")
            }
        }
        for (key, count, least) in [("users", header.users, 0), ("items", header.items, 0), ("factors", header.factors, 1)]
        where count < least {
            throw FairgroundError(file: file, field: key, expected: "a count ≥ \(least)", found: "\(count)")
        }
        guard header.factors == header.configuration.factors else {
            throw FairgroundError(file: file, field: "configuration.factors",
                                  expected: "the header's factor count (\(header.factors))",
                                  found: "\(header.configuration.factors)")
        }
        return header
    }

    /// Writes `user_factors.npy` and `item_factors.npy` (NumPy format 1.0, little-endian float32) into `directory`.
    ///
    /// - Throws: ``FairgroundError`` when the files cannot be written.
    public func exportNumPy(directory: String) throws(FairgroundError) {
        do {
            let output = try StagedOutput(directory: directory)
            for (name, m) in [("user_factors.npy", userFactors), ("item_factors.npy", itemFactors)] {
                let file = try output.open(name)
                try file.write(Self.npy(m))
                try file.close()
            }
            try output.commit()
        } catch {
            throw FairgroundError(file: directory, expected: "a writable directory (\(error.reason))")
        }
    }

    static func npy(_ m: Matrix<Float>) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        m.elements.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { dst in
            for i in 0..<MemoryLayout<T>.size { dst[i] = bytes[offset + i] }
        }
        return T(littleEndian: value)
    }
}
