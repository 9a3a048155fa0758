import FleetTesting
import Logging
@testable import ProcessRuntime
import ServiceLifecycle
import Synchronization
import Testing

/// A worker that, on graceful shutdown, stops taking work and finishes what it holds.
private struct FakeWorker: Service {
    let finishedInFlight: Flag

    func run() async throws {
        try? await gracefulShutdown()
        finishedInFlight.set(true)
    }
}

@Suite struct DaemonLifecycleTests {
    @Test func readyOnStartStoppingOnShutdownAndAWorkerThatDrains() async throws {
        let socket = try NotifySocket()
        let drained = Flag(false)
        let lifecycle = DaemonLifecycle(
            services: [FakeWorker(finishedInFlight: drained)], notifier: SystemdNotifier(environment: socket.environment()),
            shutdownGrace: .seconds(30), logger: .quiet, signals: [])
        let running = Task { try await lifecycle.run() }

        #expect(try await socket.receive { $0 == "READY=1" } == ["READY=1"])
        await lifecycle.group.triggerGracefulShutdown()
        #expect(try await socket.receive { $0 == "STOPPING=1" } == ["STOPPING=1"])
        // A clean graceful shutdown returns normally: the daemon exits 0.
        try await running.value
        #expect(drained.isOn)
    }

    @Test func aWorkerThatOverrunsTheGraceIsCancelled() async throws {
        struct Stubborn: Service {
            let cancelled: Flag
            func run() async throws {
                // Ignores graceful shutdown; only cancellation ends it.
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
                cancelled.set(true)
            }
        }
        let cancelled = Flag(false)
        let lifecycle = DaemonLifecycle(
            services: [Stubborn(cancelled: cancelled)], notifier: SystemdNotifier(environment: [:]),
            shutdownGrace: .milliseconds(100), logger: .quiet, signals: [])
        let running = Task { try await lifecycle.run() }
        await lifecycle.group.triggerGracefulShutdown()
        // The group reports the overrun as an error; what matters is that it ends.
        _ = try? await running.value
        #expect(cancelled.isOn)
    }
}
