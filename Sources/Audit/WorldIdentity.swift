
/// Which world an audit was computed on — the spec (by name and a digest of its text), the seed and the users —
/// recorded in every report so that a `--baseline` from another world is refused rather than compared.
public struct WorldIdentity: Sendable, Codable, Equatable {
    /// The spec's `name`.
    public var name: String
    /// FNV-1a 64 of the spec's text, in hex.
    public var specDigest: String
    /// The seed the world was generated with.
    public var seed: UInt64
    /// The first user id and the number of users.
    public var firstUser: Int, users: Int

    /// An identity from its parts.
    public init(name: String, specDigest: String, seed: UInt64, firstUser: Int, users: Int) {
        self.name = name
        self.specDigest = specDigest
        self.seed = seed
        self.firstUser = firstUser
        self.users = users
    }

    /// What differs from `other`, one phrase per field (empty when they are the same world).
    public func differences(from other: WorldIdentity) -> [String] {
        var out: [String] = []
        if name != other.name { out.append("scenario \(other.name) → \(name)") }
        if specDigest != other.specDigest { out.append("spec text digest \(other.specDigest) → \(specDigest)") }
        if seed != other.seed { out.append("seed \(other.seed) → \(seed)") }
        if firstUser != other.firstUser || users != other.users {
            out.append("users \(other.firstUser)..<\(other.firstUser + other.users) → \(firstUser)..<\(firstUser + users)")
        }
        return out
    }
}
