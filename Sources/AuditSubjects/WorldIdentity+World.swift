public import Audit
import FileSupport
public import Population

extension WorldIdentity {
    /// The identity of a generated world.
    public init(_ world: World) {
        let hex = String(FNV1a.hash(world.spec.source.utf8), radix: 16)
        self.init(name: world.spec.name, specDigest: String(repeating: "0", count: 16 - hex.count) + hex,
                  seed: world.seed, firstUser: world.users.lowerBound, users: world.users.count)
    }
}
