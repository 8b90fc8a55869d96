import Audit
import Statistics
public import FileSupport

/// The second pass of a sharded audit: one scored shard (``ScoredShard``) cut at the whole population's cut-offs
/// (``AuditCutoffs``) and reduced to mergeable statistics — exact per-cell sums of every column the findings
/// need and of their seeded per-user Poisson bootstrap replicates (``PoissonBootstrap``). Parts add up exactly,
/// so ``merge(_:)`` gives the single-machine audit's report, byte for byte.
public struct AuditPart: Sendable {
    /// What a part file says about itself, and the shape the merge rebuilds the findings from.
    struct Header: Codable, Equatable, ArchiveHeader {
        var format = "fairground-audit-part"
        var version = 1
        /// The scored shard's own header: shard, users, world, configuration, model and the audit's shape.
        var scored: ScoredShard.Header
        var layout: AuditEngine.Layout
        var cells: Int
        /// ``AuditCutoffs/fingerprint`` of the cut-offs it was tallied against.
        var cutoffs: String
        var quantiles: [[[String]]]
    }

    let header: Header
    let sums: PoissonBootstrap.ExactSums
    /// The shard's decisions (for `decisions.csv`).
    public let result: AuditResult
    /// The shard's data (for `decisions.csv`).
    public let data: AuditData

    /// The file a part directory holds besides its decisions.
    public static let fileName = "part.fga"

    /// Tallies a scored shard at the cut-offs of its audit.
    ///
    /// - Throws: ``FairgroundError`` when the cut-offs are another audit's.
    public init(tallying shard: ScoredShard, cutoffs: AuditCutoffs, threads: Int = 1) throws(FairgroundError) {
        let h = shard.header
        var differences = cutoffs.world.differences(from: h.world)
        if cutoffs.configuration != h.configuration { differences.append("another audit configuration") }
        if cutoffs.model != h.model?.fingerprint { differences.append("another model") }
        if cutoffs.shards != h.shard.count { differences.append("\(cutoffs.shards) shards, not \(h.shard.count)") }
        if cutoffs.cutoffs.map(\.ranking) != h.rankings { differences.append("other rankings") }
        guard differences.isEmpty else {
            throw FairgroundError.parameter("cutoffs", expected: "the cut-offs of this shard's audit",
                                       found: differences.joined(separator: "; "))
        }
        let engine = AuditEngine(data: shard.data, configuration: shard.configuration, threads: threads)
        let c = engine.columns(keys: engine.tieKeys(), cutoffs: cutoffs.engineCutoffs)
        let layout = engine.layout(c)
        sums = engine.sums(c, layout)
        header = Header(scored: h, layout: layout, cells: engine.groupings.last!.levels.count,
                        cutoffs: cutoffs.fingerprint, quantiles: cutoffs.quantiles.map(\.bits))
        data = shard.data
        result = AuditResult(
            report: AuditReport(configuration: h.configuration, subject: "", users: h.users, offers: h.offers,
                                attributes: h.attributes, tests: 0, findings: [], attribution: [], counterfactuals: [],
                                model: h.model, world: h.world),
            targeted: c.targeted, twinTargeted: c.worlds.map(\.twinTargeted))
    }

    /// Writes `part.fga` through `output` (the caller commits it with the part's other files).
    ///
    /// - Throws: ``FairgroundError`` when it cannot be written.
    public func write(into output: StagedOutput) throws(FairgroundError) {
        var writer = ArrayArchive.Writer()
        func words(_ values: [Int128]) -> [UInt64] {
            values.flatMap { [UInt64(truncatingIfNeeded: $0), UInt64(truncatingIfNeeded: $0 >> 64)] }
        }
        writer.add("point", words(sums.point))
        writer.add("squares", words(sums.squares))
        writer.add("replicated", words(sums.replicated))
        let file = try output.open(Self.fileName)
        try writer.write(header: try JSONOutput.bytes(header, what: output.directory + "/" + Self.fileName), to: file)
        try file.close()
    }

    /// What the merge reads of a part: its header and (when asked for) its sums.
    struct Read {
        var header: Header
        var sums: PoissonBootstrap.ExactSums?
        var path: String
    }

    static func read(directory: String, sums withSums: Bool = false) throws(FairgroundError) -> Read {
        let path = directory + "/" + fileName
        let archive = try ArrayArchive(path: path)
        let header = try archive.header(Header.self, format: "fairground-audit-part", version: 1,
                                        what: "a part of a sharded Fairground audit")
        guard withSums else { return Read(header: header, sums: nil, path: path) }
        let width = header.layout.width, b = header.scored.configuration.bootstrapReplicates
        func integers(_ name: String, _ count: Int) throws(FairgroundError) -> [Int128] {
            let words = try archive.array(name, as: UInt64.self)
            guard words.count == 2 * count else {
                throw FairgroundError(file: path, field: name, expected: "\(count) sums", found: "\(words.count / 2)")
            }
            return (0..<count).map { Int128(Int64(bitPattern: words[2 * $0 + 1])) << 64 | Int128(words[2 * $0]) }
        }
        let cells = header.cells * width
        let sums = PoissonBootstrap.ExactSums(point: try integers("point", cells), squares: try integers("squares", cells),
                                              replicated: try integers("replicated", b * cells))
        return Read(header: header, sums: sums, path: path)
    }

    /// The part directories in shard order.
    ///
    /// - Throws: ``FairgroundError`` when a part cannot be read.
    public static func shardOrder(_ directories: [String]) throws(FairgroundError) -> [String] {
        var indexed: [(Int, String)] = []
        for d in directories { indexed.append((try read(directory: d).header.scored.shard.index, d)) }
        return indexed.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Merges the part directories of every shard of one audit into its report (the decisions of each part stay
    /// in its directory: `decisions.csv` is their concatenation).
    ///
    /// - Throws: ``FairgroundError`` naming a part of another audit (world, configuration, model, cut-offs, shard
    ///   count), a part given twice, or a missing one.
    public static func merge(_ directories: [String]) throws(FairgroundError) -> AuditReport {
        var parts: [Read] = []
        for d in directories { parts.append(try read(directory: d)) }
        try AuditCutoffs.checkShards(
            parts.map { .init($0.header.scored) },
            paths: parts.map(\.path))
        let first = parts[0].header, shape = first.scored
        for p in parts where p.header.cutoffs != first.cutoffs || p.header.layout != first.layout {
            throw FairgroundError(file: p.path, field: "cutoffs", expected: "a part tallied against the cut-offs of "
                             + parts[0].path, found: p.header.cutoffs != first.cutoffs ? "cut-offs \(p.header.cutoffs), not \(first.cutoffs)"
                             : "another set of columns")
        }
        // One part's sums in memory at a time (exact sums add in any order).
        var total = PoissonBootstrap.ExactSums(cells: first.cells, columns: first.layout.width,
                                               replicates: shape.configuration.bootstrapReplicates)
        for d in directories { total.add(try read(directory: d, sums: true).sums!) }
        // The merge holds no per-user data: the engine sees the audit's shape and the whole population's count.
        let users = parts.reduce(0) { $0 + $1.header.scored.users }
        let engine = AuditEngine(data: shape.shape, configuration: shape.configuration, threads: 1, users: users)
        let quantiles = first.quantiles.map { $0.map { $0.map { Double(bitPattern: UInt64($0, radix: 16) ?? 0) } } }
        return engine.report(sums: total.doubles, layout: first.layout, quantiles: quantiles, subject: shape.subject)
    }
}
