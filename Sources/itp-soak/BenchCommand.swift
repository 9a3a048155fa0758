import ArgumentParser
import FleetTesting
import Foundation
import Soak

/// `itp-soak bench`: the fleet on this machine without faults, the built-in provider, and
/// the figures of issue 8: throughput, latencies, and the CPU split.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the fleet without faults (built-in provider) and print products/minute, latencies and the CPU split.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Products to drive from create to ready_for_sale.")
    var products = 40

    @Option(help: "Design candidates per product.")
    var candidates = 4

    @Option(help: "Finished products of a shop's past written into the database before the fleet starts (jobs, attempts, assets, ledger, published outbox), to measure the fleet against a grown database; 0: empty.")
    var historyProducts = 0

    @Option(help: "Dead letters in that history (each of a history product's dead flat-lay job).")
    var historyDeadLetters = 0

    func validate() throws {
        guard historyProducts >= 0 else { throw ValidationError("--history-products must be 0 or more, not \(historyProducts)") }
        guard (0...historyProducts).contains(historyDeadLetters) else {
            throw ValidationError("--history-dead-letters must be between 0 and --history-products (\(historyProducts)), not \(historyDeadLetters): each belongs to a history product")
        }
    }

    @Flag(help: "Run against a three-node RabbitMQ cluster (scripts/servers cluster-start, stopped at the end); every daemon gets the three addresses, shuffled, so the instances spread over the nodes. No faults.")
    var cluster = false

    func run() async throws {
        var configuration = try common.configuration()
        var startedCluster: ClusterTestEnvironment?
        defer { try? startedCluster?.stop() }
        if cluster { startedCluster = try ClusterStart.start(for: &configuration, command: "itp-soak bench") }
        configuration.products = products
        configuration.faults = []
        configuration.poisonMessages = 0
        configuration.garbageShare = 0
        configuration.reselectShare = 0
        configuration.regenerateShare = 0
        configuration.libraryShare = 0
        configuration.candidates = candidates...candidates
        configuration.useFakeProvider = false
        configuration.historyProducts = historyProducts
        configuration.historyDeadLetters = historyDeadLetters
        configuration.owners = 1
        if common.concurrency == nil { configuration.concurrency = 8 }
        if common.imageSize == nil { configuration.imageSize = 1024 }
        if common.instances == nil {
            configuration.instances = [.intake: 1, .finalizer: 1, .design: 1, .flatLay: 1, .mrImagine: 1]
        }
        configuration.timeLimit = .seconds(3600)
        configuration.measure = true
        configuration.scratchDirectory = ProcessInfo.processInfo.environment["ITP_SCRATCH"]

        let load = Self.loadAverage
        let started = Date()
        let result = try await SoakRun(configuration: configuration).run { FileHandle.standardError.write(Data("itp-soak bench: \($0)\n".utf8)) }
        guard let figures = result.figures, let cpu = result.cpu else { throw ExitCode(1) }

        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        func pct(_ part: Double) -> String { cpu.total > 0 ? f(part / cpu.total * 100) + " %" : "n/a" }
        let n = Double(max(figures.readyProducts, 1))
        let frontDoor = (cpu.daemons[.intake] ?? 0) + (cpu.daemons[.finalizer] ?? 0)
        let workerRuntime = DaemonKind.allCases.filter(\.isImageWorker).map { cpu.daemons[$0] ?? 0 }.reduce(0, +) - cpu.image
        print("""
            == fleet benchmark (itp-soak bench)
            date: \(ISO8601DateFormatter().string(from: started)); machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Self.cpuModel), \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; load average before \(load), after \(Self.loadAverage)
            database: \(result.history.map { "seeded history: " + $0.rows.map { "\($0.table) \($0.count)" }.joined(separator: ", ") + ", \($0.databaseBytes >> 20) MiB" } ?? "empty")
            fleet: \(DaemonKind.allCases.map { "\($0) ×\(configuration.instances[$0] ?? 1)" }.joined(separator: ", ")); broker: \(cluster ? "three-node cluster" : "one node"); builtin provider, \(candidates) candidates of \(configuration.imageSize)², \(configuration.concurrency) products in flight
            products: \(figures.readyProducts) ready_for_sale of \(products) in \(f(figures.spanSeconds)) s → \(f(figures.productsPerMinute, 2)) products/minute
            create → awaiting_selection: p50 \(f(BenchmarkFigures.percentile(figures.createToAwaiting, 50))) s, p95 \(f(BenchmarkFigures.percentile(figures.createToAwaiting, 95))) s
            select → ready_for_sale:     p50 \(f(BenchmarkFigures.percentile(figures.selectToReady, 50))) s, p95 \(f(BenchmarkFigures.percentile(figures.selectToReady, 95))) s
            messages per product:     \(f(Double(figures.messageCount) / n, 2)) (\(figures.messageCount) outbox rows published: \(figures.messages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
            transactions per product: \(f(Double(figures.writeTransactions) / n, 1)) writing (\(figures.writeTransactions) transaction ids assigned); \(f(Double(figures.transactions) / n, 1)) committed in all (\(figures.transactions), read-only ones and the harness's polling included)
            CPU seconds from the first create until settled (per product in brackets):
              total                      \(f(cpu.total)) (\(f(cpu.total / n, 2)))
              image work                 \(f(cpu.image)) (\(f(cpu.image / n, 2)))  \(pct(cpu.image))  [\(cpu.imageWork.sorted { $0.key < $1.key }.map { "\($0.key) \(f($0.value))" }.joined(separator: ", "))]
              orchestration, all         \(f(cpu.total - cpu.image)) (\(f((cpu.total - cpu.image) / n, 2)))  \(pct(cpu.total - cpu.image))
                postgres                 \(f(cpu.postgres))  \(pct(cpu.postgres))
                rabbitmq                 \(f(cpu.rabbitmq))  \(pct(cpu.rabbitmq))
                intake + finalizer       \(f(frontDoor))  \(pct(frontDoor))
                workers outside image    \(f(workerRuntime))  \(pct(workerRuntime))
            target: orchestration ≤ 10 % of the CPU per product → \(cpu.total > 0 && (cpu.total - cpu.image) / cpu.total <= 0.10 ? "met" : "MISSED")
            invariants: \(result.isClean ? "all hold" : "VIOLATED:\n" + result.report.violations.joined(separator: "\n"))
            """)
        if !result.isClean { throw ExitCode(1) }
    }

    static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }

    static var cpuModel: String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    }
}
