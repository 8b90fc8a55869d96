// swift-tools-version: 6.1
import PackageDescription

/// Swift settings shared by every target: Swift 6 language mode is the tools-version default. Warnings are
/// treated as errors by the project's own builds (`make`, CI), which pass `-warnings-as-errors`; the manifest
/// carries no unsafe flag, so the library products can be used as a dependency, and a plain `swift build -c release`
/// runs the same code as the Makefile's build (the kernels pick their CPU form at run time: CKernels).
let strict: [SwiftSetting] = []

let package = Package(
    name: "Fairground",
    products: [
        .library(name: "Linear", targets: ["Linear"]),
        .library(name: "TrainingData", targets: ["TrainingData"]),
        .library(name: "Population", targets: ["Population"]),
        .library(name: "Recommender", targets: ["Recommender"]),
        .library(name: "Statistics", targets: ["Statistics"]),
        .library(name: "Privacy", targets: ["Privacy"]),
        .library(name: "Audit", targets: ["Audit"]),
        .library(name: "AuditSubjects", targets: ["AuditSubjects"]),
        .library(name: "Sharding", targets: ["Sharding"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .executable(name: "fairground", targets: ["fairground"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - Public API

        /// Dense and sparse matrices and safe wrappers over BLAS/LAPACK (their failures are numerical
        /// FairgroundErrors, the one error type of FileSupport).
        .target(name: "Linear", dependencies: ["CBLAS", "CKernels", "FileSupport"], swiftSettings: strict),
        /// The hand-off from population to model: interaction matrices with user ids and per-user columns, and
        /// their file formats (Matrix Market, CSV); and the figures a model is judged by on held-out data
        /// (ranking metrics, the holdout check against popularity), as values.
        .target(name: "TrainingData", dependencies: ["Linear", "FileSupport"], swiftSettings: strict),
        /// Spec parsing, Gaussian-copula SCM sampling, behaviour model and counterfactual twins; TrainingInput, the
        /// one loader of a path's training data (a generated directory with its consent column, or a file).
        .target(
            name: "Population",
            dependencies: ["Linear", "Statistics", "TrainingData", "FileSupport", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        /// Implicit-feedback ALS: training (with the item side and item-statistics steps of its configuration),
        /// fold-in, recommendation, explanation, evaluation and holdout checks, model files.
        .target(name: "Recommender", dependencies: ["Linear", "TrainingData", "FileSupport"], swiftSettings: strict),
        /// Tests, intervals and estimators the audit rests on: Wald and exact tests, Holm, interval recipes, ROC and
        /// DeLong, cross-fitted logistic regression (inference probes), order statistics across sorted shards,
        /// exact fixed-point sums and the seeded Poisson bootstrap. Needs only Linear.
        .target(name: "Statistics", dependencies: ["Linear"], swiftSettings: strict),
        /// Differentially private training and its proof: per-user contribution bounds, clipping and Gaussian noise on
        /// the item side's statistics (an ItemStatisticsStep), the Rényi-DP accountant, and the membership attack that
        /// checks the promise empirically. Knows no generator.
        .target(
            name: "Privacy", dependencies: ["Recommender", "Statistics", "TrainingData", "Linear", "FileSupport"],
            swiftSettings: strict),
        /// The audit engine and what it reports: per-user decisions under each offer's decision rule, the metric
        /// registry (MetricID, MetricDescriptor), findings with intervals and Holm-corrected verdicts, attribution
        /// and counterfactual summaries, and the report model (AuditReport, ModelCard, WorldIdentity, rule
        /// outcomes). Sees worlds and models only as AuditData: it needs neither Population nor Recommender.
        .target(
            name: "Audit",
            dependencies: ["Statistics", "TrainingData", "Linear", "FileSupport"],
            swiftSettings: strict
        ),
        /// What is audited, joined to the generator: a model under audit (folded-in factors, score files) asked
        /// about a generated world and its twins (ModelAudit, ScoreAudit), model cards and world identities from
        /// their sources, and the trait-inference probes of a world.
        .target(
            name: "AuditSubjects",
            dependencies: ["Audit", "Statistics", "Population", "Recommender", "Privacy", "TrainingData", "Linear", "FileSupport"],
            swiftSettings: strict),
        /// Audits past one machine: a shard of whole id blocks scored once (ScoredShard), the exact global cut-offs
        /// by order statistics across shards (AuditCutoffs), per-shard exact sums (AuditPart) and their merge into
        /// the single-machine report. Reaches the engine through package access.
        .target(name: "Sharding", dependencies: ["Audit", "Statistics", "Linear", "FileSupport"], swiftSettings: strict),
        /// Renders audit results: JSON, Markdown, self-contained HTML with inline SVG, JUnit XML, decisions CSV.
        .target(
            name: "Report", dependencies: ["Audit", "AuditSubjects", "Sharding", "Privacy", "Statistics", "Linear", "FileSupport"],
            swiftSettings: strict),
        /// Whole stages as library calls: policies (parsed, checked, evaluated), the audit gate (audit, policy,
        /// report, verdict) and the end-to-end run.
        .target(
            name: "Pipeline",
            dependencies: [
                "Population", "TrainingData", "Recommender", "Privacy", "Audit", "AuditSubjects", "Sharding", "Report",
                "FileSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
        /// The command-line tool: argument parsing and wiring only.
        .executableTarget(
            name: "fairground",
            dependencies: [
                "Linear",
                "Population",
                "TrainingData",
                "Recommender",
                "Privacy",
                "Audit",
                "AuditSubjects",
                "Sharding",
                "Report",
                "Pipeline",
                "FileSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Implementation details

        /// Atomic file output (temporary name, then rename) and whole-file reads, shared by the stages.
        .target(name: "FileSupport", swiftSettings: strict),
        /// Linear's numeric kernels in C, compiled for AVX2 + FMA and for baseline x86-64 and chosen at run time
        /// (Swift has no per-function target attribute), and a software-prefetch hint (Swift has no intrinsic).
        .target(name: "CKernels"),
        /// OpenBLAS + LAPACKE from Debian: apt-get install libopenblas-dev liblapacke-dev
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),

        // MARK: - Tests

        /// Helpers every test target shares: the repository root, temporary files.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "FileSupportTests", dependencies: ["FileSupport", "TestSupport"],
            exclude: ["digests.json", "make_digest_fixture.py"], swiftSettings: strict),
        .testTarget(name: "LinearTests", dependencies: ["Linear", "FileSupport", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PopulationTests", dependencies: ["Population", "Statistics", "Linear", "FileSupport", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TrainingDataTests", dependencies: ["TrainingData", "Linear", "FileSupport", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "RecommenderTests", dependencies: ["Recommender", "TrainingData", "Linear", "FileSupport", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PrivacyTests", dependencies: ["Privacy", "Statistics", "Recommender", "TrainingData", "Linear", "FileSupport", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AuditTests", dependencies: ["Audit", "AuditSubjects", "Statistics", "Sharding", "Report", "Pipeline", "Population", "Recommender", "TrainingData", "FileSupport", "Linear", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Audit", "Statistics", "Pipeline", "FileSupport", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PipelineTests", dependencies: ["Pipeline", "Audit", "Population", "Recommender", "TrainingData", "FileSupport", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "FairgroundCLITests",
            dependencies: ["Linear", "Population", "Recommender", "TrainingData", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)
