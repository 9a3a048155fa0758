// swift-tools-version: 6.0
// The mockup benchmark: a release build of the production renderer (the targets are
// symlinks to the repository's own sources, so it measures exactly what ships) and a small
// driver. Run it with ./run, which also runs libvips on the same inputs.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mockup-bench",
    platforms: [.macOS(.v15)],
    targets: [
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "PNGSupport", dependencies: ["CPNG"]),
        .target(name: "PNG", dependencies: ["CPNG", "PNGSupport"], swiftSettings: strictSettings),
        .target(name: "Imaging", dependencies: [], swiftSettings: strictSettings),
        .target(name: "Mockups", dependencies: ["Imaging", "PNG"], swiftSettings: strictSettings),
        .executableTarget(name: "mockup-bench", dependencies: ["Mockups", "Imaging", "PNG"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
