import FileSupport

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The description of a generated directory, written as `manifest.json`: the spec it came from, the seed and
/// user range, counts, target and achieved correlations, and the intervention for a counterfactual world.
///
/// It holds everything needed to regenerate the world exactly (the spec's text and the seed), and nothing that
/// varies between runs (no time stamps, no paths), so identical inputs give identical bytes.
public struct Manifest: Codable, Sendable, Equatable {
    /// An attribute as described in the manifest.
    public struct Attribute: Codable, Sendable, Equatable {
        /// The column name.
        public var name: String
        /// `categorical`, `numeric` or `boolean`.
        public var type: String
        /// Whether it is protected.
        public var protected: Bool
        /// The levels of a categorical attribute, in latent order.
        public var levels: [String]?
        /// `true` for a sensitive trait (absent otherwise).
        public var sensitive: Bool?
        /// `consent` for the consent attribute (absent otherwise).
        public var role: String?
    }
    /// A correlation a repair changed, by attribute names.
    public struct Repair: Codable, Sendable, Equatable {
        /// The first attribute.
        public var first: String
        /// The second attribute.
        public var second: String
        /// The declared correlation.
        public var target: Double
        /// The correlation used.
        public var used: Double
    }
    /// The intervention behind a counterfactual world.
    public struct InterventionInfo: Codable, Sendable, Equatable {
        /// `attribute=value` assignments as given.
        public var set: [String]
        /// Mediators held at factual values.
        public var keep: [String]
    }
    /// One output file.
    public struct File: Codable, Sendable, Equatable {
        /// The file name inside the directory.
        public var name: String
        /// Its size.
        public var bytes: Int
        /// Its ``ContentDigest`` (16 hex digits; absent in manifests written before digests were recorded).
        public var digest: String?

        /// Creates an entry.
        public init(name: String, bytes: Int, digest: String? = nil) {
            self.name = name
            self.bytes = bytes
            self.digest = digest
        }
    }

    /// Always `fairground-world`.
    public var format = "fairground-world"
    /// The manifest schema version.
    public var formatVersion = 1
    /// The scenario name.
    public var name: String
    /// The spec file the world came from (as given on the command line).
    public var specFile: String
    /// The spec's full text.
    public var specSource: String
    /// The seed used.
    public var seed: UInt64
    /// The first global user id.
    public var firstUser: Int
    /// The number of users.
    public var users: Int
    /// The number of items (0 without a catalogue).
    public var items: Int
    /// The number of stored interactions.
    public var interactions: Int
    /// `implicit` or `ratings`, when there is behaviour.
    public var feedback: String?
    /// Whether the correlations were repaired on request.
    public var repairCorrelations: Bool
    /// The attributes in column order.
    public var attributes: [Attribute]
    /// The offer categories, in `truth.csv` column order.
    public var offerCategories: [String]
    /// Target and achieved latent correlations of every declared pair.
    public var correlations: [AchievedCorrelation]
    /// Correlations a repair changed.
    public var repairs: [Repair]
    /// The intervention, for a counterfactual world.
    public var intervention: InterventionInfo?
    /// The files written beside the manifest.
    public var files: [File]

    /// Describes a world.
    public init(world: World, repairCorrelations: Bool, files: [File]) {
        let spec = world.spec
        name = spec.name
        specFile = spec.file
        specSource = spec.source
        seed = world.seed
        firstUser = world.users.lowerBound
        users = world.userCount
        items = world.items?.count ?? 0
        interactions = world.interactions.count
        feedback = spec.items == nil ? nil : spec.behavior.feedback.rawValue
        self.repairCorrelations = repairCorrelations
        attributes = spec.attributes.map { a in
            let (type, levels): (String, [String]?) = switch a.kind {
            case .categorical(let levels, _): ("categorical", levels)
            case .numeric: ("numeric", nil)
            case .boolean: ("boolean", nil)
            }
            return Attribute(name: a.name, type: type, protected: a.isProtected, levels: levels,
                             sensitive: a.isSensitive ? true : nil, role: a.role?.rawValue)
        }
        offerCategories = world.offerCategories.map { spec.items!.categories[$0].name }
        correlations = world.correlations
        repairs = world.repairs.map {
            Repair(first: spec.attributes[$0.first].name, second: spec.attributes[$0.second].name,
                   target: $0.target, used: $0.used)
        }
        intervention = world.intervention.map { i in
            InterventionInfo(
                set: i.assignments.map { "\(spec.attributes[$0.attribute].name)=\($0.text)" },
                keep: i.kept.map { spec.attributes[$0].name })
        }
        self.files = files
    }

    /// The manifest as pretty-printed JSON with sorted keys (byte-stable).
    ///
    /// - Throws: ``FairgroundError`` when a value cannot be encoded.
    public func jsonData() throws(FairgroundError) -> [UInt8] {
        try JSONOutput.bytes(self, snakeCase: true, what: "manifest.json")
    }

    /// Reads `DIR/manifest.json`.
    ///
    /// - Throws: ``FairgroundError`` naming the manifest when it is missing or malformed.
    public static func read(directory: String) throws(FairgroundError) -> Manifest {
        let path = directory + "/manifest.json"
        let text = try FileIO.readText(path, expecting: "a generated directory with a manifest")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let manifest = try decoder.decode(Manifest.self, from: Data(text.utf8))
            guard manifest.format == "fairground-world", manifest.formatVersion == 1 else {
                throw FairgroundError(file: path, field: "format", expected: "a fairground-world manifest, version 1")
            }
            return manifest
        } catch let error as FairgroundError {
            throw error
        } catch {
            throw FairgroundError(file: path, field: "", expected: "a valid manifest (\(error))")
        }
    }

    /// The spec embedded in the manifest, parsed again.
    ///
    /// - Throws: ``FairgroundError`` when the embedded spec is not valid.
    public func spec(directory: String) throws(FairgroundError) -> PopulationSpec {
        var spec = try PopulationSpec.parse(specSource, file: directory + "/manifest.json (spec_source)")
        spec.file = specFile
        return spec
    }
}
