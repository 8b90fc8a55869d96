// swift-tools-version: 6.1
// Benchmarks live in their own package so the root build and CI never compile them.
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, so find out what the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "FairgroundBenchmarks",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "GenerationBenchmark",
            dependencies: [.product(name: "Population", package: rootIdentity)]
        ),
        .executableTarget(
            name: "AuditBenchmark",
            dependencies: ["Audit", "AuditSubjects", "Report", "Population", "Recommender", "Linear", "TrainingData"].map {
                .product(name: $0, package: rootIdentity)
            }
        ),
        .executableTarget(
            name: "Coverage",
            dependencies: ["Audit", "AuditSubjects", "Pipeline", "Population", "Recommender", "Linear"].map {
                .product(name: $0, package: rootIdentity)
            }
        ),
        .executableTarget(
            name: "Calibration",
            dependencies: ["Audit", "AuditSubjects", "Population", "Recommender", "Linear"].map {
                .product(name: $0, package: rootIdentity)
            }
        ),
    ]
)
