// swift-tools-version: 6.0
import PackageDescription

/// The same strict settings on every Swift target (STYLE.md point 1).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Pixel loops: optimised in debug builds too. Unoptimised, the design worker's print file
/// took 45× the CPU of a release build (21.6 s against 0.48 s for one 12×16 in DTF from a
/// 1024² design), so the fleet tests — debug daemons making four candidates — spent minutes
/// on image work and timed out on a busy machine.
let pixelSettings: [SwiftSetting] = strictSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// System libraries from Debian. Each is imported by exactly one Swift wrapper target.
let systemLibraries: [Target] = [
    .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
    .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
]

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")

/// Each daemon is a thin `@main` over library targets.
func daemon(_ name: String, extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["Settings", argumentParser, logging] + extra,
        swiftSettings: strictSettings
    )
}

let package = Package(
    name: "itp-fleet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "itp-intake", targets: ["itp-intake"]),
        .executable(name: "itp-design-worker", targets: ["itp-design-worker"]),
        .executable(name: "itp-flatlay-worker", targets: ["itp-flatlay-worker"]),
        .executable(name: "itp-mr-imagine", targets: ["itp-mr-imagine"]),
        .executable(name: "itp-finalizer", targets: ["itp-finalizer"]),
        .executable(name: "itp-admin", targets: ["itp-admin"]),
        .executable(name: "itp-webhook-worker", targets: ["itp-webhook-worker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: systemLibraries + [
        // Wrappers over the C libraries.
        .target(name: "Postgres", dependencies: ["Vocabulary", "CLibPQ", logging], swiftSettings: strictSettings),
        .target(name: "AMQP", dependencies: ["Vocabulary", "CRabbitMQ", logging], swiftSettings: strictSettings),
        .target(name: "HTTPTransport", dependencies: ["CCurl"], swiftSettings: strictSettings),
        // The classic libpng API (compression options, pHYs, row streaming) reports errors with
        // setjmp/longjmp, which must never cross Swift frames: it lives in this small C target.
        .target(name: "PNGSupport", dependencies: ["CPNG"]),
        .target(name: "PNG", dependencies: ["CPNG", "PNGSupport"], swiftSettings: pixelSettings),

        // Image work: pure-Swift raster operations, and the mockup template catalogue.
        .target(name: "Imaging", dependencies: [], swiftSettings: pixelSettings),
        .target(name: "Mockups", dependencies: ["Imaging", "PNG"], swiftSettings: pixelSettings),
        // Serving stored images: thumbnails made once and cached in storage, entity tags,
        // signed expiring URLs. Used by the API's content route and by anything that shows images.
        .target(
            name: "AssetImages",
            dependencies: ["Imaging", "PNG", "Storage", "Settings", "Vocabulary", metrics, .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),

        // Asset blobs: local directory or S3-compatible storage.
        .target(
            name: "Storage",
            dependencies: ["HTTPTransport", "Settings", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        // Image providers: the offline built-in generator and HTTP image APIs.
        .target(
            name: "DesignProviders",
            dependencies: ["Vocabulary", "HTTPTransport", "Imaging", "PNG", logging, metrics],
            swiftSettings: strictSettings),
        // The product flow's shared vocabulary: payloads, events, asset rows.
        .target(name: "ProductFlow", dependencies: ["JobRuntime", "Postgres"], swiftSettings: strictSettings),

        // The design.generate handler: provider calls, DTF print file, background removal, storage.
        .target(
            name: "DesignWorker",
            dependencies: [
                "Vocabulary", "JobRuntime", "ProductFlow", "DesignProviders", "Storage", "Imaging", "PNG", "Postgres", "Settings", logging, metrics,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        // The flat-lay and mr_imagine job handlers, their failure recorder and daemon boot.
        .target(
            name: "MockupWorker",
            dependencies: ["Vocabulary", "Mockups", "Imaging", "JobRuntime", "ProductFlow", "Storage", "Postgres", "Settings", "WorkerDaemon", argumentParser, logging, metrics],
            swiftSettings: strictSettings),
        // People who sign in (shop users, operators): scrypt password hashes, sessions in
        // Postgres, throttled attempts.
        .target(
            name: "Accounts",
            dependencies: [
                "Postgres", .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        // The HTTP API: Hummingbird routes, auth, problem+json, the OpenAPI document it conforms to;
        // and the builder's server-rendered pages (Builder/: Mustache templates, CSS, one script).
        .target(
            name: "Intake",
            dependencies: ["Vocabulary", "Accounts", "WebPages",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                "Postgres", "JobRuntime", "ProductFlow", "Mockups", "Storage", "AssetImages", "Webhooks", "Settings", logging, prometheus, serviceLifecycle,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("openapi.yaml"), .copy("Builder/pages"), .copy("Builder/static")],
            swiftSettings: strictSettings),
        // Server-rendered pages shared by the builder and the console: Mustache templates and
        // static files from a resource folder, form bodies with the CSRF check, session cookies.
        .target(
            name: "WebPages",
            dependencies: [
                "Accounts", "Postgres", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        // Operator actions as library code used by both `itp-admin` and the console: dead-letter
        // selection, replay batches and purge, the operator audit, operator accounts, the overview,
        // queue snapshots (`itp-admin queues`) and the scale plan (`itp-admin scale plan`).
        .target(
            name: "Operations",
            dependencies: ["Accounts", "Postgres", "JobRuntime", "ProductFlow", "AMQP", "Scaling", "Settings"],
            swiftSettings: strictSettings),
        // The operator console (`itp-admin console`, ITP_CONSOLE_ADDR): its own listener, operator
        // sessions, pages over `Operations`, background bulk actions.
        .target(
            name: "Console",
            dependencies: [
                "Vocabulary", "Accounts", "Operations", "WebPages", "Postgres", "Settings", "AMQP", "JobRuntime", "ProductFlow", "Scaling",
                "AssetImages", logging, serviceLifecycle,
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("pages"), .copy("static")],
            swiftSettings: strictSettings),
        // Storefront webhooks: destination safety, signatures, the delivery handler.
        .target(
            name: "Webhooks",
            dependencies: [
                "Vocabulary", "JobRuntime", "ProductFlow", "Postgres", "HTTPTransport", "AssetImages", logging,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings),
        // The finalizer's decisions: promotion, failure, credits settlement, sweep.
        .target(
            name: "Finalizer",
            dependencies: ["Vocabulary", "JobRuntime", "ProductFlow", "Postgres", logging, serviceLifecycle],
            swiftSettings: strictSettings),

        // Domain and process plumbing.
        .target(name: "Schema", dependencies: ["Vocabulary", "Postgres", logging], swiftSettings: strictSettings),
        // The scaling decision of `itp-admin scale plan`, without I/O.
        .target(name: "Scaling", dependencies: [], swiftSettings: strictSettings),
        .target(name: "Settings", dependencies: [argumentParser], swiftSettings: strictSettings),
        // The fleet's log metadata keys and metric names, written once.
        .target(name: "Vocabulary", dependencies: [logging], swiftSettings: strictSettings),
        .target(
            name: "ProcessRuntime",
            dependencies: ["Vocabulary", 
                "Settings", logging, metrics, prometheus, serviceLifecycle,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "WorkerDaemon",
            dependencies: ["Vocabulary", "JobRuntime", "ProcessRuntime", "Settings", "AMQP", "Postgres", logging, prometheus, serviceLifecycle],
            swiftSettings: strictSettings),
        .target(name: "JobRuntime", dependencies: ["Vocabulary", "Postgres", "AMQP", logging, metrics, serviceLifecycle], swiftSettings: strictSettings),

        // Executables (DESIGN.md §8).
        daemon("itp-intake", extra: ["Vocabulary", "Intake", "ProcessRuntime", "WorkerDaemon", "Storage", "Mockups", "AssetImages", "Webhooks"]),
        daemon("itp-webhook-worker", extra: ["Vocabulary", "Webhooks", "AssetImages", "HTTPTransport", "JobRuntime", "ProductFlow", "WorkerDaemon"]),
        daemon("itp-design-worker", extra: ["DesignWorker", "DesignProviders", "Storage", "JobRuntime", "ProductFlow", "WorkerDaemon", "Imaging"]),
        // Benchmark harness (benchmarks/dtf/run builds it in release).
        .executableTarget(name: "dtf-bench", dependencies: ["Imaging", "PNG"], path: "benchmarks/dtf/Sources/dtf-bench", swiftSettings: strictSettings),
        daemon("itp-flatlay-worker", extra: ["MockupWorker", "Mockups"]),
        daemon("itp-mr-imagine", extra: ["MockupWorker", "Mockups"]),
        daemon("itp-finalizer", extra: ["Finalizer", "WorkerDaemon", "ProductFlow", "JobRuntime"]),
        daemon("itp-admin", extra: [
            "WorkerDaemon", "Accounts", "Schema", "Postgres", "AMQP", "JobRuntime", "Mockups", "ProductFlow", "Storage", "AssetImages", "Scaling",
            "Operations", "Console", "Vocabulary", serviceLifecycle, .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        daemon("itp-canary-worker", extra: ["JobRuntime", "WorkerDaemon"]),
        // Benchmark harness of the job runtime (benchmarks/runtime/run).
        daemon("itp-bench-runtime", extra: ["Vocabulary", "JobRuntime", "Postgres", "AMQP", "Schema"]),

        // Shipped test support: locating the private servers the test script started.
        .target(name: "FleetTesting", dependencies: ["Postgres", "Schema", logging], swiftSettings: strictSettings),
        // The fault-injection soak and fleet benchmark (issue 8): a library, so that the short
        // soak in the test suite runs the same harness and invariant checks as `itp-soak`.
        .target(
            name: "Soak",
            dependencies: ["FleetTesting", "Postgres", "AMQP", "HTTPTransport", "JobRuntime", "ProductFlow", "DesignProviders", logging],
            swiftSettings: strictSettings),
        daemon("itp-soak", extra: ["Soak"]),

        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "FleetTesting", logging], swiftSettings: strictSettings),
        .testTarget(name: "AMQPTests", dependencies: ["AMQP", "FleetTesting"], swiftSettings: strictSettings),
        .testTarget(name: "HTTPTransportTests", dependencies: ["HTTPTransport", "FleetTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "DesignProvidersTests",
            dependencies: [
                "DesignProviders", "HTTPTransport", "PNG", "FleetTesting", logging, metrics,
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "FinalizerTests",
            dependencies: ["Finalizer", "ProductFlow", "JobRuntime", "Postgres", "Schema", "FleetTesting", logging],
            swiftSettings: strictSettings),
        .testTarget(
            name: "MockupWorkerTests",
            dependencies: [
                "MockupWorker", "Finalizer", "Mockups", "JobRuntime", "ProductFlow", "Storage", "Postgres", "AMQP", "Schema", "FleetTesting",
                "PNG", "Imaging", logging,
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "HTTPTransport", "Settings", "FleetTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "DesignWorkerTests",
            dependencies: [
                "DesignWorker", "DesignProviders", "ProductFlow", "JobRuntime", "Storage", "Imaging", "PNG",
                "Postgres", "AMQP", "Schema", "FleetTesting", logging, serviceLifecycle,
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "Accounts", "AssetImages", "Webhooks", "PNG", "Postgres", "Schema", "JobRuntime", "ProductFlow", "Mockups", "Settings", "Storage", "FleetTesting", logging, prometheus,
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "FlowTests",
            dependencies: ["FleetTesting", "HTTPTransport", "Postgres", "Schema", "Mockups", "PNG", "Soak", logging],
            swiftSettings: strictSettings),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], swiftSettings: strictSettings),
        .testTarget(name: "MockupsTests", dependencies: ["Mockups", "Imaging", "PNG"], swiftSettings: strictSettings),
        .testTarget(name: "PNGTests", dependencies: ["PNG"], swiftSettings: strictSettings),
        .testTarget(name: "AssetImagesTests", dependencies: ["AssetImages", "PNG", "Storage"], swiftSettings: strictSettings),
        .testTarget(
            name: "WebhooksTests",
            dependencies: ["Webhooks", "AssetImages", "ProductFlow", "JobRuntime", "HTTPTransport", "Postgres", "AMQP", "Schema", "FleetTesting", logging],
            swiftSettings: strictSettings),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "Postgres", "FleetTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "ProcessRuntimeTests",
            dependencies: ["ProcessRuntime", "Vocabulary", "Settings", "FleetTesting", argumentParser, logging, metrics, prometheus, serviceLifecycle],
            swiftSettings: strictSettings),
        .testTarget(name: "JobRuntimeTests", dependencies: ["JobRuntime"], swiftSettings: strictSettings),
        .testTarget(name: "ProductFlowTests", dependencies: ["ProductFlow", "JobRuntime"], swiftSettings: strictSettings),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["JobRuntime", "Postgres", "AMQP", "Schema", "FleetTesting", "HTTPTransport", logging],
            swiftSettings: strictSettings),
        .testTarget(name: "CommandLineTests", dependencies: ["FleetTesting", "Postgres", "Scaling", "JobRuntime", "ProductFlow", "AMQP"], swiftSettings: strictSettings),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "Operations", "Accounts", "Postgres", "JobRuntime", "ProductFlow", "FleetTesting", "Settings", "AMQP", logging,
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "SoakTests", dependencies: ["Soak", "FleetTesting"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
