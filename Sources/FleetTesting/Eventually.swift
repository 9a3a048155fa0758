import Foundation

/// Waits for a condition with a deadline. Tests wait for conditions; they never assert on
/// wall time (a slow machine only makes them slower, never wrong).
public func waitUntil(
    _ what: @autoclosure () -> String = "condition",
    timeout: Duration = .seconds(60),
    poll: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return }
        if clock.now >= deadline {
            throw TestEnvironmentError("timed out after \(timeout) waiting for \(what())")
        }
        try await Task.sleep(for: poll)
    }
}

/// A name no other test (or earlier run) uses: for queues, exchanges and schemas.
public func uniqueName(_ prefix: String) -> String {
    let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    return "\(prefix)_\(suffix)"
}
