import Foundation

/// The semantic mutator of model files (issue 26, point 6): it changes what a file says, not its syntax — header
/// values (λ, α, factor, user, item and iteration counts, the solver's steps, the seed) set to extremes or to
/// values of another type, the factor matrices resized to match changed counts, and factor bytes set to NaN, ±∞,
/// the largest floats, subnormals or flipped bits — then re-seals the file (header length and checksum), so every
/// mutated file passes the checksum and reaches the reader's semantic checks. Seeded, so every run mutates the same
/// way.
///
/// The model file layout it knows: magic (8 bytes), version (4), header length L (4), the JSON header (L), the user
/// then item factors (float32), the checksum of everything before it (8).
public struct ModelFileMutator {
    private let prefix: [UInt8]
    private let header: [String: Any]
    private let floats: [Float]
    private let checksum: ([UInt8]) -> UInt64

    /// A mutator of the model file `bytes`, re-sealing with `checksum` (the format's: FNV-1a 64).
    public init(fileBytes bytes: [UInt8], checksum: @escaping ([UInt8]) -> UInt64) {
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        prefix = Array(bytes[0..<12])
        header = (try? JSONSerialization.jsonObject(with: Data(bytes[16..<(16 + length)]))) as? [String: Any] ?? [:]
        let body = Array(bytes[(16 + length)..<(bytes.count - 8)])
        floats = stride(from: 0, to: body.count, by: 4).map { i in
            Float(bitPattern: UInt32(body[i]) | UInt32(body[i + 1]) << 8 | UInt32(body[i + 2]) << 16 | UInt32(body[i + 3]) << 24)
        }
        self.checksum = checksum
    }

    /// The header values the mutator changes, as key paths.
    public static let fields: [[String]] = [
        ["users"], ["items"], ["factors"], ["iterationsRun"], ["configuration", "factors"], ["configuration", "iterations"],
        ["configuration", "regularization"], ["configuration", "alpha"], ["configuration", "seed"],
        ["configuration", "solver", "conjugateGradient", "steps"], ["configuration", "confidence"],
        ["configuration", "regularizationScaling"], ["configuration", "computeLoss"], ["holdout"], ["selection"],
    ]

    /// Extreme numbers and values of other types (`nil`: the key removed).
    static var values: [Any?] {
        [0, 1, 2, -1, Int.max, Int.min, 1 << 62, 4_294_967_297, 0.5, -0.5, 1e-45, 1e-300, 3.4e38, 3.5e38, 1e308, -1e308,
         "nan", "inf", "", true, NSNull(), [Any](), ["conjugateGradient": ["steps": -1]], nil]
    }

    /// Factor values that break scores or solves.
    static let factorValues: [Float] = [
        .nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e19, -1e19, .leastNonzeroMagnitude, -0.0, 0,
        .leastNormalMagnitude,
    ]

    /// One to three changes of the file, re-sealed, and what they were.
    public func mutate(_ rng: inout TestLCG) -> (bytes: [UInt8], change: String) {
        var header = self.header
        var users = header["users"] as? Int ?? 0, items = header["items"] as? Int ?? 0
        var factors = header["factors"] as? Int ?? 1
        var body = floats
        var changes: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                // A header value set to an extreme (the factors left as they are: the reader must match them).
                let path = Self.fields[Int.random(in: 0..<Self.fields.count, using: &rng)]
                let value = Self.values[Int.random(in: 0..<Self.values.count, using: &rng)]
                Self.set(&header, path, value)
                changes.append("\(path.joined(separator: ".")) = \(value.map { "\($0)" } ?? "(removed)")")
            case 1:
                // Counts changed together with the factors, so the sizes agree and validation is reached.
                users = [0, 1, max(users - 1, 0), users + 1, users][Int.random(in: 0..<5, using: &rng)]
                items = [0, 1, max(items - 1, 0), items + 1, items][Int.random(in: 0..<5, using: &rng)]
                let k = [1, max(factors - 1, 1), factors + 1, factors][Int.random(in: 0..<4, using: &rng)]
                if k != factors, Bool.random(using: &rng) { Self.set(&header, ["configuration", "factors"], k) }
                factors = k
                header["users"] = users
                header["items"] = items
                header["factors"] = factors
                let count = factors * (users + items)
                body = (0..<count).map { floats.isEmpty ? 0.1 : floats[$0 % floats.count] }
                changes.append("resized to \(users) users, \(items) items, \(factors) factors")
            default:
                // Factor values that break scores or solves, or flipped bits.
                guard !body.isEmpty else { continue }
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let at = Int.random(in: 0..<body.count, using: &rng)
                    if Bool.random(using: &rng) {
                        body[at] = Self.factorValues[Int.random(in: 0..<Self.factorValues.count, using: &rng)]
                    } else {
                        body[at] = Float(bitPattern: body[at].bitPattern ^ (1 << UInt32.random(in: 0..<32, using: &rng)))
                    }
                    changes.append("factor \(at) = \(body[at])")
                }
            }
        }
        let json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])).map { [UInt8]($0) } ?? []
        var bytes = prefix
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { bytes += $0 }
        bytes += json
        for value in body { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        withUnsafeBytes(of: checksum(bytes).littleEndian) { bytes += $0 }
        return (bytes, changes.joined(separator: "; "))
    }

    /// Sets (or, for `nil`, removes) the value at `path`, making the objects on the way.
    private static func set(_ object: inout [String: Any], _ path: [String], _ value: Any?) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
        } else {
            var inner = object[key] as? [String: Any] ?? [:]
            set(&inner, Array(path.dropFirst()), value)
            object[key] = inner
        }
    }
}
