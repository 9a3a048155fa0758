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
        } catch let error as PostgresError where error.isConnectionFailure {
            fail("database unreachable: \(error.debugDescription)", code: unavailable)
        } catch let error as PostgresError {
            fail(error.debugDescription, code: 1)
        } catch let error as ExitCode {
            throw error
        } catch {
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
}
