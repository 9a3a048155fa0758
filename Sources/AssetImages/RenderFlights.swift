import Storage

/// At most one render per thumbnail key at a time in this process: a burst of requests
/// for a new thumbnail (a gallery page opened by many shoppers at once) makes it once,
/// and every request of the burst gets that one result. Across processes a duplicate
/// render is harmless: the bytes are the same and storage writes are atomic.
actor RenderFlights {
    private var running: [StorageKey: Task<[UInt8], any Error>] = [:]

    func run(_ key: StorageKey, _ work: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        if let task = running[key] { return try await task.value }
        // Unstructured on purpose: a requester that goes away does not cancel the render
        // the others wait for; the result is stored either way.
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}
