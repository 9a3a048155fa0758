import FleetTesting
import Foundation

/// A vhost of its own on the test broker: to the fleet, a fresh broker. Production queue
/// names (`finalizer.events`, `itp.admin.restart-marker`) declared there touch no other test.
struct FreshVhost: Sendable {
    let name: String
    /// `ITP_AMQP_URL` for the vhost.
    let url: String
    private let env: TestEnvironment

    static func make(_ prefix: String) async throws -> FreshVhost {
        let env = try TestEnvironment.require()
        let name = uniqueName(prefix)
        try await offPool { try env.servers("vhost-add", name) }
        guard let slash = env.amqpURL.lastIndex(of: "/") else { throw TestEnvironmentError("no vhost in \(env.amqpURL)") }
        return FreshVhost(name: name, url: String(env.amqpURL[...slash]) + name, env: env)
    }

    func delete() async {
        let (env, name) = (self.env, self.name)
        try? await offPool { try env.servers("vhost-delete", name) }
    }
}
