import FleetTesting
import Testing

/// `itp-admin broker setup` declares the production queues. Declared during the parallel
/// phase, they would collect the events other tests' relays publish (the finalizer's queue
/// takes every routing key) and hand them to the fleet test later: so this runs in the
/// serial phase, like every suite that touches production queue names.
@Suite struct ExclusiveBrokerSetupTests {
    @Test func brokerSetupIsIdempotent() async throws {
        let env = try TestEnvironment.require()
        let binary = try BuiltProducts.path("itp-admin")
        for _ in 0..<2 {
            let output = try await ProcessRunner.capture(binary, ["broker", "setup", "--amqp-url", env.amqpURL])
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("queue mockup.flat_lay.dead"))
        }
    }
}
