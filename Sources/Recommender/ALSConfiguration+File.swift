import FileSupport
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The configuration file `fairground tune` writes and `train`, `run` and `audit` read with `--config`:
///
/// ```json
/// {"format": "fairground-als-config", "factors": 48, "iterations": 15, "regularization": 10, "alpha": 3,
///  "confidence": "one-plus-alpha", "solver": "cg", "cg_steps": 3, "seed": 0, "item_side": "aggregated"}
/// ```
///
/// Every key but `format` is optional (a missing one keeps the default); an unknown key, a wrong type or an
/// out-of-range value is refused with the file and the field named. A `tuning` object, when present, records how
/// the values were found and is otherwise ignored.
extension ALSConfiguration {
    /// The `format` value of a configuration file.
    public static let fileFormat = "fairground-als-config"

    struct File: Codable {
        var format: String?
        var factors: Int?
        var iterations: Int?
        var regularization: Float?
        var alpha: Float?
        var confidence: String?
        var solver: String?
        var cgSteps: Int?
        var seed: UInt64?
        var itemSide: String?
        var tuning: HyperparameterSearch.Result.Summary?
    }

    /// Accepts any JSON value: used to list a file's keys.
    private struct AnyValue: Decodable { init(from decoder: any Decoder) throws {} }

    /// The configuration as the bytes of a configuration file, with how it was tuned when known.
    ///
    /// - Throws: ``FairgroundError`` when it cannot be encoded.
    public func fileBytes(tuning: HyperparameterSearch.Result? = nil) throws(FairgroundError) -> [UInt8] {
        var steps: Int? = nil
        if case .conjugateGradient(let s) = solver { steps = s }
        let file = File(format: Self.fileFormat, factors: factors, iterations: iterations,
                        regularization: regularization, alpha: alpha, confidence: confidence.name,
                        solver: solver.name, cgSteps: steps, seed: seed, itemSide: itemSide?.rawValue,
                        tuning: tuning?.summary)
        return try JSONOutput.bytes(file, snakeCase: true, what: "the configuration")
    }

    /// Reads a configuration file over the defaults.
    ///
    /// - Throws: ``FairgroundError`` naming the file and the field for an unreadable or malformed file.
    public static func read(path: String) throws(FairgroundError) -> ALSConfiguration {
        let bytes = try FileIO.readBytes(path, expecting: "a readable configuration file")
        return try decode(bytes, file: path)
    }

    /// Decodes the bytes of a configuration file over the defaults.
    public static func decode(_ bytes: [UInt8], file path: String) throws(FairgroundError) -> ALSConfiguration {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let keys = try? JSONDecoder().decode([String: AnyValue].self, from: Data(bytes)) else {
            throw FairgroundError(file: path, expected: "a JSON object (a configuration written by fairground tune)")
        }
        let known = ["format", "factors", "iterations", "regularization", "alpha", "confidence", "solver",
                     "cg_steps", "seed", "item_side", "tuning"]
        if let unknown = keys.keys.sorted().first(where: { !known.contains($0) }) {
            throw FairgroundError(file: path, field: unknown, expected: "one of the keys " + known.joined(separator: ", "))
        }
        let file: File
        do { file = try decoder.decode(File.self, from: Data(bytes)) } catch {
            let field: String
            switch error {
            case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                 DecodingError.dataCorrupted(let context):
                field = context.codingPath.map(\.stringValue).joined(separator: ".")
            default: field = ""
            }
            throw FairgroundError(file: path, field: field, expected: "a value of the documented type")
        }
        guard file.format == fileFormat else {
            throw FairgroundError(file: path, field: "format", expected: "\"\(fileFormat)\"",
                             found: file.format.map { "\"\($0)\"" } ?? "no format key")
        }
        var c = ALSConfiguration()
        if let v = file.factors { c.factors = v }
        if let v = file.iterations { c.iterations = v }
        if let v = file.regularization { c.regularization = v }
        if let v = file.alpha { c.alpha = v }
        if let v = file.seed { c.seed = v }
        if let v = file.confidence {
            guard let convention = Confidence(name: v) else {
                throw FairgroundError(file: path, field: "confidence", expected: "one-plus-alpha or alpha", found: v)
            }
            c.confidence = convention
        }
        switch file.solver {
        case nil, "cg": c.solver = .conjugateGradient(steps: file.cgSteps ?? 3)
        case "cholesky":
            guard file.cgSteps == nil else {
                throw FairgroundError(file: path, field: "cg_steps", expected: "no cg_steps with solver cholesky")
            }
            c.solver = .cholesky
        case let other?: throw FairgroundError(file: path, field: "solver", expected: "cg or cholesky", found: other)
        }
        if let v = file.itemSide {
            guard let side = ItemSide(rawValue: v) else {
                throw FairgroundError(file: path, field: "item_side", expected: "direct or aggregated", found: v)
            }
            c.itemSide = side == .direct ? nil : side
        }
        do { try c.validate() } catch {
            let field = error.source == "steps" ? "cg_steps" : error.source
            throw FairgroundError(file: path, field: field, expected: error.expected, found: error.found)
        }
        return c
    }

    /// Writes a configuration file atomically.
    ///
    /// - Throws: ``FairgroundError`` when it cannot be written.
    public func write(to path: String, tuning: HyperparameterSearch.Result? = nil) throws(FairgroundError) {
        do { try writeAtomically(fileBytes(tuning: tuning), to: path) } catch {
            throw FairgroundError(file: path, expected: "a writable configuration path (\(error.reason))")
        }
    }
}

extension ALSConfiguration.Confidence {
    /// The formula, for reports: `1 + α·r` or `α·r`.
    public var formula: String { self == .onePlusAlpha ? "1 + α·r" : "α·r" }

    /// The spelling in files and on the command line: `one-plus-alpha` or `alpha`.
    public var name: String { self == .onePlusAlpha ? "one-plus-alpha" : "alpha" }

    /// Parses `one-plus-alpha` or `alpha`.
    public init?(name: String) {
        switch name {
        case "one-plus-alpha": self = .onePlusAlpha
        case "alpha": self = .alpha
        default: return nil
        }
    }
}
