// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Regimen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "regimen", targets: ["RegimenCLI"]),
        .executable(name: "regimen-bench", targets: ["RegimenBench"]),
        .library(name: "RegimenCore", targets: ["RegimenCore"]),
        .library(name: "RegimenHandout", targets: ["RegimenHandout"]),
    ],
    targets: [
        // Reading and writing files in POSIX calls, for every target that touches the file system.
        .target(name: "SystemFiles"),
        // The whole language pipeline; no terminal or process I/O. The knowledge base is compiled
        // in, so the `regimen` binary needs no resource folder beside it.
        .target(
            name: "RegimenCore",
            dependencies: ["SystemFiles"],
            resources: ["conditions", "magnesium", "nutrients", "drugs", "interactions", "condition-rules", "advice"]
                .map { .embedInCode("Knowledge/Base/\($0).regimen") } + [.embedInCode("Knowledge/Image/knowledge.image")]
        ),
        // libedit (BSD editline): its header from `apt-get install libedit-dev`, the library
        // loaded when the REPL opens an editor. Fixed-argument C wrappers, because Swift cannot
        // call libedit's variadic functions.
        .target(name: "CEditShim"),
        // The only Swift target that touches the terminal's line editor.
        .target(
            name: "LineEditor",
            dependencies: ["CEditShim", "RegimenCore", "SystemFiles"]
        ),
        // The Language Server Protocol over standard input and output (`regimen lsp`): editor
        // requests in, the core's findings, read-backs and completions out. No compiler logic here.
        .target(
            name: "RegimenLanguageServer",
            dependencies: ["RegimenCore", "SystemFiles"]
        ),
        // The patient's handout: an HTML page with inline SVG, worded from one message catalog,
        // built on the core's timeline and findings (no handout logic in the core).
        .target(
            name: "RegimenHandout",
            dependencies: ["RegimenCore"]
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "RegimenCLI",
            dependencies: ["RegimenCore", "RegimenHandout", "LineEditor", "RegimenLanguageServer", "SystemFiles"]
        ),
        // Benchmarks: `swift run -c release regimen-bench` prints a table and writes bench-results.json.
        .executableTarget(
            name: "RegimenBench",
            dependencies: ["RegimenCore", "RegimenLanguageServer"]
        ),
        // The start-up reference for the benchmarks: a Swift program that does nothing.
        .executableTarget(name: "EmptyProgram"),
        // What the test targets share: the package root, the test date, golden comparison.
        .target(name: "TestSupport", dependencies: ["RegimenCore"], path: "Tests/TestSupport"),
        .testTarget(
            name: "RegimenCoreTests",
            dependencies: ["RegimenCore", "TestSupport"],
            exclude: ["Golden", "Fixtures"]
        ),
        .testTarget(
            name: "RegimenLanguageServerTests",
            dependencies: ["RegimenLanguageServer", "RegimenCore"]
        ),
        .testTarget(
            name: "RegimenHandoutTests",
            dependencies: ["RegimenHandout", "RegimenCore", "TestSupport"],
            exclude: ["Golden"]
        ),
        // Runs the built `regimen` binary; depending on the target makes `swift test` build it.
        .testTarget(
            name: "RegimenCLITests",
            dependencies: ["RegimenCLI", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
