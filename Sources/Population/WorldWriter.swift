import FileSupport
internal import Linear
internal import TrainingData

/// Writes a ``World`` as a directory of interoperable files.
///
/// - `population.csv`: `user_id` then one column per attribute (level names, `true`/`false`, numbers);
/// - `items.csv`: `item_id,category`;
/// - `interactions.csv`: `user_id,item_id,weight`;
/// - `interactions.mtx`: Matrix Market coordinate real general, row = user_id − first user + 1, column =
///   item_id + 1 (1-based);
/// - `truth.csv`: `user_id` then one column per offer category;
/// - `manifest.json`: see ``Manifest``.
///
/// Every file is written under a temporary name and renamed into place only after all of them succeeded.
/// Formatting runs on `threads` workers in fixed blocks of users, so the bytes never depend on the thread count.
public struct WorldWriter: Sendable {
    /// Worker threads for formatting.
    public var threads: Int
    /// Called after each file with its name, size in bytes and the seconds it took (for benchmarks).
    public var fileWritten: (@Sendable (_ name: String, _ bytes: Int, _ seconds: Double) -> Void)?

    /// Creates a writer.
    public init(threads: Int = 1) { self.threads = max(1, threads) }

    /// Writes `world` into `directory` (created when missing).
    ///
    /// - Parameter repairCorrelations: recorded in the manifest, so a counterfactual repeats the same choice.
    /// - Returns: The manifest written.
    /// - Throws: ``FairgroundError`` when the world holds a non-finite value (``World/checkFinite()``), before anything
    ///   is written; ``FairgroundError`` when a file cannot be written; nothing is left half-written.
    @discardableResult
    public func write(_ world: World, to directory: String, repairCorrelations: Bool) throws -> Manifest {
        try world.checkFinite()
        let output = try StagedOutput(directory: directory)
        output.record = DirectoryRecord.name
        var files: [Manifest.File] = []
        let spec = world.spec
        let first = world.users.lowerBound
        let n = world.userCount

        // population.csv
        var header = ByteBuffer()
        header.append("user_id")
        for a in spec.attributes { header.append(UInt8(ascii: ",")); header.append(a.name) }
        header.append(UInt8(ascii: "\n"))
        let levelBytes: [[[UInt8]]] = spec.attributes.map { a in
            switch a.kind {
            case .categorical(let levels, _): levels.map { Array(CSVField.encode($0).utf8) }
            case .boolean: [Array("false".utf8), Array("true".utf8)]
            case .numeric: []
            }
        }
        files.append(try writeRows(output, "population.csv", header: header.bytes, rows: n) { buffer, row in
            buffer.append(integer: first + row)
            for a in 0..<spec.attributes.count {
                buffer.append(UInt8(ascii: ","))
                let v = world.attributeValues[a][row]
                if levelBytes[a].isEmpty { buffer.append(number: v) } else {
                    buffer.bytes.append(contentsOf: levelBytes[a][Int(v)])
                }
            }
            buffer.append(UInt8(ascii: "\n"))
        })

        if let items = world.items {
            // items.csv
            let names = items.categoryNames.map { Array(CSVField.encode($0).utf8) }
            files.append(try writeRows(output, "items.csv", header: Array("item_id,category\n".utf8),
                                       rows: items.count) { buffer, item in
                buffer.append(integer: item)
                buffer.append(UInt8(ascii: ","))
                buffer.bytes.append(contentsOf: names[Int(items.category[item])])
                buffer.append(UInt8(ascii: "\n"))
            })
            let table = world.interactions
            // interactions.csv
            files.append(try writeRows(output, "interactions.csv", header: Array("user_id,item_id,weight\n".utf8),
                                       rows: n) { buffer, row in
                for p in table.entries(row: row) {
                    buffer.append(integer: first + row)
                    buffer.append(UInt8(ascii: ","))
                    buffer.append(integer: Int(table.items[p]))
                    buffer.append(UInt8(ascii: ","))
                    buffer.append(number: Double(table.weights[p]))
                    buffer.append(UInt8(ascii: "\n"))
                }
            })
            // interactions.mtx
            let mtx = MatrixMarketWriter.header(
                rows: n, columns: items.count, entries: table.count,
                comment: "fairground: \(spec.name), seed \(world.seed), "
                    + MatrixMarketWriter.userRangeComment(firstUser: first))
            files.append(try writeRows(output, "interactions.mtx", header: mtx, rows: n) { buffer, row in
                let entries = table.entries(row: row)
                MatrixMarketWriter.appendRow(row, columns: table.items[entries], values: table.weights[entries],
                                             to: &buffer.bytes)
            })
            // truth.csv
            var truthHeader = ByteBuffer()
            truthHeader.append("user_id")
            for c in world.offerCategories {
                truthHeader.append(",")
                truthHeader.append(CSVField.encode(items.categoryNames[c]))
            }
            truthHeader.append(UInt8(ascii: "\n"))
            files.append(try writeRows(output, "truth.csv", header: truthHeader.bytes, rows: n) { buffer, row in
                buffer.append(integer: first + row)
                for o in world.offerCategories.indices {
                    buffer.append(UInt8(ascii: ","))
                    buffer.append(number: world.truth[o][row])
                }
                buffer.append(UInt8(ascii: "\n"))
            })
        } else {
            // A world without items: an earlier run's behaviour files must not survive beside it.
            for name in ["items.csv", "interactions.csv", "interactions.mtx", "truth.csv"] { output.remove(name) }
        }

        let manifest = Manifest(world: world, repairCorrelations: repairCorrelations, files: files)
        let file = try output.open("manifest.json")
        try file.write(manifest.jsonData())
        try file.close()
        try output.commit()
        return manifest
    }

    /// Formats rows in parallel blocks and writes them in order.
    private func writeRows(
        _ output: StagedOutput, _ name: String, header: [UInt8], rows: Int,
        _ format: @Sendable (inout ByteBuffer, Int) -> Void
    ) throws(FairgroundError) -> Manifest.File {
        let clock = ContinuousClock()
        let started = clock.now
        let file = try output.open(name)
        try file.write(header)
        let blockRows = 8192
        let blocks = (rows + blockRows - 1) / blockRows
        let batch = threads * 4
        var start = 0
        while start < blocks {
            let count = min(batch, blocks - start)
            let first = start
            let chunks = ParallelBlocks.map(count: count, threads: threads) { b in
                var buffer = ByteBuffer(capacity: 1 << 18)
                let lo = (first + b) * blockRows
                for row in lo..<min(lo + blockRows, rows) { format(&buffer, row) }
                return buffer.bytes
            }
            for chunk in chunks { try file.write(chunk) }
            start += count
        }
        try file.close()
        if let fileWritten {
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            fileWritten(name, file.bytesWritten, seconds)
        }
        return Manifest.File(name: name, bytes: file.bytesWritten, digest: file.digest.hexadecimal)
    }
}
