@testable import Audit
import FileSupport
import Report
import Sharding
import Statistics
import Testing
import TestSupport

/// The engine's one global step and its sharded form, tested on the library types directly: the Poisson
/// bootstrap's exact sums, the engine's ranking kernels, and scored shards → cut-offs → parts → merge equal to the
/// single-machine audit (default rule, a threshold and a budget).
@Suite struct ShardedEngineTests {
    static let users = 10_000, offers = 2

    /// 10,000 users (three id blocks), two groups, truth, observed interest and one counterfactual world.
    static func data(_ users: Range<Int> = 0..<users) -> AuditData {
        var rng = TestLCG(seed: 5)
        var membership: [Int32] = [], scores: [Float] = [], truth: [Float] = [], observed: [Float] = [], twin: [Float] = []
        for u in 0..<Self.users {
            let g = Int32(rng.next() >> 63)
            var row: ([Float], [Float], [Float], [Float]) = ([], [], [], [])
            for o in 0..<offers {
                let s = Float(rng.next() >> 44) / Float(1 << 20) - (g == 1 && o == 0 ? 0.05 : 0)
                row.0.append(s)
                row.1.append(Float(rng.next() >> 44) / Float(1 << 20))
                row.2.append(row.1.last! + Float(rng.next() >> 44) / Float(1 << 22))
                row.3.append(g == 1 ? s : s - 0.05)
            }
            guard users.contains(u) else { continue }
            membership.append(g)
            scores += row.0; truth += row.1; observed += row.2; twin += row.3
        }
        return AuditData(
            userIDs: Array(users), attributes: [Grouping(name: "g", levels: ["a", "b"], membership: membership)],
            offers: ["loan", "card"], scores: scores, truth: truth, observed: observed,
            counterfactuals: [CounterfactualWorld(attribute: 0, level: 1, kind: .total, scores: twin)],
            world: WorldIdentity(name: "test", specDigest: "0", seed: 1, firstUser: users.lowerBound, users: users.count))
    }

    @Test func bootstrapSumsAreExactAndDoNotDependOnThreadsOrShards() {
        var rng = TestLCG(seed: 8)
        let n = 9000, columns = 3
        let cells = (0..<n).map { _ in Int32(rng.next() >> 62) }
        let values = (0..<(n * columns)).map { _ in Double(rng.next() >> 40) / Double(1 << 24) }
        let bootstrap = PoissonBootstrap(replicates: 30, seed: 4)
        func sums(_ users: Range<Int>, threads: Int) -> PoissonBootstrap.ExactSums {
            bootstrap.sums(cells: Array(cells[users]), cellCount: 4, userIDs: Array(users), columns: columns,
                           threads: threads) { u, row in
                for c in 0..<columns { row[c] = values[(users.lowerBound + u) * columns + c] }
            }
        }
        let whole = sums(0..<n, threads: 1)
        #expect(whole == sums(0..<n, threads: 3))
        var split = sums(0..<4096, threads: 1)
        split.add(sums(4096..<n, threads: 2))
        #expect(split == whole)
        // The point sums are the plain sums per cell; every replicate's weights average about 1.
        let doubles = whole.doubles
        for cell in 0..<4 {
            let plain = (0..<n).filter { cells[$0] == cell }.reduce(0.0) { $0 + values[$1 * columns] }
            #expect(abs(doubles.point[cell * columns] - plain) < 1e-9 * max(1, plain))
            let replicated = (0..<30).map { doubles.replicated[($0 * 4 + cell) * columns] }
            let mean = replicated.reduce(0, +) / 30
            #expect(abs(mean - plain) < 0.1 * plain, "cell \(cell): replicate mean \(mean) vs \(plain)")
        }
    }

    @Test func rankingKernelsSelectByValueThenTieKey() {
        let keys: [UInt64] = [5, 1, 3, 2, 4]
        let values: [Float] = [1, 2, 2, 2, 0]
        let (selected, cutoff) = AuditEngine.selectTop(count: 2, users: 5, keys: keys, offer: 0, offers: 1) { values[$0] }
        // Users 1 and 3 tie with user 2 at 2; the lower keys (1, then 2) win.
        #expect(selected == [false, true, false, true, false])
        #expect(cutoff.value == 2 && cutoff.key == 2)
        let none = AuditEngine.selectTop(count: 0, users: 5, keys: keys, offer: 0, offers: 1) { values[$0] }
        #expect(none.selected == [false, false, false, false, false])
        let decision = AuditEngine.Decision(attribute: nil, cutoffs: [.init(value: 2, key: 2)])
        #expect(decision.selects(2, key: 2, level: 0) && !decision.selects(2, key: 3, level: 0) && decision.selects(2.5, key: 9, level: 0))
        let byGroup = AuditEngine.Decision(attribute: 0, cutoffs: [.init(value: 1, key: .max), .init(value: 3, key: .max)])
        #expect(byGroup.selects(1, key: 7, level: 0) && !byGroup.selects(2, key: 7, level: 1))
    }

    @Test(arguments: [nil, [OfferRule(offer: "loan", rule: .scoreThreshold(0.7)), OfferRule(offer: "card", rule: .budget(777))],
                      [OfferRule(offer: "loan", rule: .scoreThreshold(5))]])  // the last targets nobody
    func shardsMergeToTheSingleMachineAudit(rules: [OfferRule]?) throws {
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 30
        configuration.decisionRules = rules
        let single = try FairnessAudit.run(Self.data(), configuration: configuration, subject: "s")
        for count in [2, 3] {
            var scored: [String] = []
            for index in 1...count {
                let shard = try AuditShard(index: index, count: count)
                let users = try shard.users(of: 0..<Self.users)
                let s = try ScoredShard(shard: shard, data: Self.data(users), world: 0..<Self.users,
                                        configuration: configuration, subject: "s")
                let path = temporaryPath("shard-\(index)-of-\(count)-\(rules?.count ?? 0)")
                try s.write(to: path)
                scored.append(path)
            }
            // Through the file, as `audit-shard cutoffs` and `audit-shard tally` pass it (a ranking that selects nobody too).
            let cutoffsPath = temporaryPath("cutoffs-\(count)-\(rules?.count ?? 0).json")
            try AuditCutoffs(shards: scored).write(to: cutoffsPath)
            let cutoffs = try AuditCutoffs.read(path: cutoffsPath)
            // The model's cut-off of a ranked offer is the single machine's last selected user.
            #expect(cutoffs.cutoffs.map(\.selected).count == AuditEngine(data: Self.data(), configuration: configuration,
                                                                         threads: 1).rankings.count)
            let targeted = (0..<Self.offers).map { o in (0..<Self.users).filter { single.targeted[$0 * Self.offers + o] }.count }
            #expect(cutoffs.cutoffs.filter { $0.ranking.hasSuffix("/model") }.map(\.selected) == targeted)
            var parts: [String] = []
            for (i, path) in scored.enumerated() {
                let part = try AuditPart(tallying: try ScoredShard(directory: path), cutoffs: cutoffs)
                let out = temporaryPath("part-\(i)-of-\(count)-\(rules?.count ?? 0)")
                var writer = ReportWriter()
                writer.decisions = false
                try writer.write(part, to: out)
                parts.append(out)
            }
            let merged = try AuditPart.merge(parts.reversed())
            #expect(merged == single.report, "\(count) shards")
        }
    }
}
