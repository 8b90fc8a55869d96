import FileSupport
import Population
import Testing
import TestSupport

/// Genres: the personal structure of implicit behaviour (a user's genre taste competes with item popularity).
@Suite struct GenreTests {
    static func spec(genres: Int? = nil, sd: Double? = nil, users: Int = 4000) throws -> PopulationSpec {
        var spec = try Scenario.defaultSpec()
        spec.users = users
        if let genres { spec.behavior.genres = genres }
        if let sd { spec.behavior.genreTasteSD = sd }
        return spec
    }

    @Test func onByDefaultForImplicitFeedbackOffForRatings() throws {
        // The default scenario and the README-style specs never mention genres.
        let spec = try Scenario.defaultSpec()
        #expect(spec.behavior.genres == BehaviorSpec.defaultGenres && spec.behavior.genres > 1)
        #expect(spec.behavior.genreTasteSD == BehaviorSpec.defaultGenreTasteSD && spec.behavior.genreTasteSD > 0)
        let ratings = try dataset("yao-huang-uniform")
        #expect(ratings.behavior.genres == 0)
        let minimal = try PopulationSpec.parse(minimalSpec("items: {count: 50, categories: {a: {share: 1}}}"),
                                               file: "t.yaml")
        #expect(minimal.behavior.genres == BehaviorSpec.defaultGenres)
    }

    @Test func everyCategoryIsDealtIntoEqualGenres() throws {
        let catalog = try Generator(spec: try Self.spec()).items!
        for c in 0..<(catalog.categoryStart.count - 1) {
            let range = catalog.categoryStart[c]..<catalog.categoryStart[c + 1]
            var sizes = [Int](repeating: 0, count: min(BehaviorSpec.defaultGenres, range.count))
            for i in range { sizes[Int(catalog.genre[i])] += 1 }
            #expect(sizes.max()! - sizes.min()! <= 1 && sizes.min()! >= 1, "category \(c): \(sizes)")
        }
        // Capped by the category size: 3 items cannot make 16 genres.
        let small = try PopulationSpec.parse(minimalSpec("items: {count: 3, categories: {a: {share: 1}}}"), file: "t.yaml")
        #expect(Set(try Generator(spec: small).items!.genre) == [0, 1, 2])
    }

    /// Each user's draws concentrate in their favourite genres far more than popularity alone would make them.
    @Test func genreTasteConcentratesEachUsersInteractions() throws {
        func topGenreShare(_ sd: Double) throws -> Double {
            let world = try Generator(spec: try Self.spec(sd: sd, users: 3000)).generate(users: 0..<3000, threads: 2)
            let catalog = world.items!
            var shares: [Double] = []
            for row in 0..<world.userCount {
                var counts: [Int: Double] = [:]
                var total = 0.0
                for p in world.interactions.entries(row: row) {
                    let item = Int(world.interactions.items[p])
                    // Only the largest category, so genres are comparable across users.
                    guard catalog.category[item] == 0 else { continue }
                    counts[Int(catalog.genre[item]), default: 0] += Double(world.interactions.weights[p])
                    total += Double(world.interactions.weights[p])
                }
                if total >= 10 { shares.append(counts.values.max()! / total) }
            }
            return shares.reduce(0, +) / Double(shares.count)
        }
        let none = try topGenreShare(0), personal = try topGenreShare(BehaviorSpec.defaultGenreTasteSD)
        // Without taste, 16 genres of similar popularity: the top one holds little more than 1/16 of a user's draws.
        #expect(none < 0.3, "\(none)")
        #expect(personal > 2 * none, "\(personal) vs \(none)")
    }

    @Test func sameWorldOnAnyThreadCountAndShardsAreRowsOfTheFullRun() throws {
        let generator = try Generator(spec: try Self.spec())
        let full = generator.generate(users: 0..<6000, threads: 1)
        let two = generator.generate(users: 0..<6000, threads: 2)
        #expect(full.interactions == two.interactions && full.truth == two.truth)
        let shard = generator.generate(users: 1234..<4321, threads: 2)
        let lo = full.interactions.userOffsets[1234], hi = full.interactions.userOffsets[4321]
        #expect(Array(full.interactions.items[lo..<hi]) == shard.interactions.items)
        #expect(Array(full.interactions.weights[lo..<hi]) == shard.interactions.weights)
    }

    /// Common random numbers: a twin whose probabilities do not change draws exactly what its original drew, and
    /// genre taste is exogenous, so it is the same for both.
    @Test func twinsShareGenreTaste() throws {
        let spec = try Self.spec()
        let generator = try Generator(spec: spec)
        let factual = generator.generate(users: 0..<3000, threads: 2)
        // Ethnicity enters behaviour only through its descendants: a twin whose other attributes all keep their
        // values draws exactly the same items.
        let twin = generator.generate(users: 0..<3000, intervention: try Intervention(spec: spec, assignments: ["ethnicity=group_a"]),
                                      threads: 2)
        let ethnicity = spec.attributes.firstIndex { $0.name == "ethnicity" }!
        let others = spec.attributes.indices.filter { $0 != ethnicity }
        var same = 0
        for row in 0..<3000 where others.allSatisfy({ factual.attributeValues[$0][row] == twin.attributeValues[$0][row] }) {
            let a = factual.interactions.entries(row: row), b = twin.interactions.entries(row: row)
            if Array(factual.interactions.items[a]) == Array(twin.interactions.items[b])
                && Array(factual.interactions.weights[a]) == Array(twin.interactions.weights[b]) { same += 1 }
            else { Issue.record("row \(row) changed without a changed ancestor") }
        }
        #expect(same > 500, "\(same) unchanged twins")
    }

    @Test func genresOffIsTheGenreFreeModel() throws {
        let catalog = try Generator(spec: try Self.spec(genres: 0)).items!
        #expect(catalog.genre.allSatisfy { $0 == 0 })
        let one = try Generator(spec: try Self.spec(genres: 1)).generate(users: 0..<500)
        let zero = try Generator(spec: try Self.spec(genres: 0)).generate(users: 0..<500)
        #expect(one.interactions == zero.interactions)
    }
}
