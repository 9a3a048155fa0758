import Foundation
import Testing
@testable import Soak

/// The soak's final SIGTERM waits until a daemon handles the signal; this is how it tells.
@Suite struct TerminationDispositionTests {
    /// A shell that sets SIGTERM's disposition and then sleeps; killed at the end.
    private func withShell(_ script: String, _ body: (Int32) async throws -> Void) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try await body(process.processIdentifier)
    }

    @Test func aProcessWithTheDefaultActionDoesNotHandleIt() async throws {
        // `exec sleep`: the sleep itself, with SIGTERM at its default action (the shell's
        // signal mask inherited from a test thread does not count: blocked is not handled).
        try await withShell("exec sleep 30") { pid in
            try await Task.sleep(for: .milliseconds(200))
            #expect(!FleetProcess.handlesTermination(pid))
        }
    }

    @Test func aTrapOrAnIgnoredSignalCounts() async throws {
        for script in ["trap 'exit 0' TERM; while :; do sleep 1; done", "trap '' TERM; while :; do sleep 1; done"] {
            try await withShell(script) { pid in
                let deadline = ContinuousClock.now + .seconds(30)
                while !FleetProcess.handlesTermination(pid), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(FleetProcess.handlesTermination(pid), "\(script)")
            }
        }
    }

    @Test func aProcessThatIsGoneDoesNotHandleIt() {
        #expect(!FleetProcess.handlesTermination(Int32.max))
    }
}
