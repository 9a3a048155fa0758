import AMQP
import ArgumentParser
import Foundation
import Postgres
import Settings

/// Turns failures into one line on stderr and a meaningful exit code.
enum AdminFailure {
    static let unavailable: Int32 = 69

    static func report<T>(_ step: () throws -> T) throws -> T {
        do {
            return try step()
        } catch let error as ExitCode {
            throw error
        } catch {
            handle(error)
        }
    }

    /// Exits with the code that `error` calls for: 69 when a server is unreachable, else 1.
    static func handle(_ error: any Error) -> Never {
        switch error {
        case let error as PostgresError where error.isConnectionFailure:
            fail("database unreachable: \(error.debugDescription)", code: unavailable)
        case let error as PostgresError:
            fail(error.debugDescription, code: 1)
        case let error as AMQPError where error.code == .connectionLost || error.code == .connectTimeout || error.code == .closed:
            fail("broker unreachable: \(error.debugDescription)", code: unavailable)
        case let error as ExitCode:
            exit(error.rawValue)
        default:
            fail(String(describing: error), code: 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("itp-admin: \(message)\n".utf8))
        exit(code)
    }
}

enum AdminConnection {
    static func postgres(_ settings: DaemonSettings) throws -> PostgresConnection {
        try AdminFailure.report { try PostgresConnection.connect(settings.databaseURL) }
    }

    /// For async commands: libpq calls then run on the client's own queues, never on the
    /// cooperative pool. A connection failure surfaces at first use (exit 69 through
    /// ``AdminFailure/handle(_:)``).
    static func client(_ settings: DaemonSettings, connections: Int = 1) -> PostgresClient {
        PostgresClient(conninfo: settings.databaseURL, maxConnections: connections, logger: AdminLog.logger())
    }
}
