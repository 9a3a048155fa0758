import FleetTesting
import Foundation
import Soak

/// `--cluster` of `itp-soak run` and `itp-soak bench`: starts the three-node cluster
/// (`scripts/servers cluster-start`) and points the configuration at it; the caller stops it.
enum ClusterStart {
    static func start(for configuration: inout SoakConfiguration, command: String) throws -> ClusterTestEnvironment {
        FileHandle.standardError.write(Data("\(command): starting the three-node cluster\n".utf8))
        let environment = try ClusterTestEnvironment.start(try TestEnvironment.require())
        configuration.cluster = environment
        configuration.amqpURL = environment.amqpURL
        return environment
    }
}
