import Foundation
import Logging

/// A small thread beside each I/O thread: it enforces every caller's deadline and shuts
/// a stalled socket down. It never touches the librabbitmq state, only the shared core.
enum Supervisor {
    static func start(core: ConnectionCore, logger: Logger) {
        let thread = Thread {
            let stallTimeout = core.configuration.stallTimeout
            while !core.isClosed {
                Thread.sleep(forTimeInterval: 0.05)
                let now = ContinuousClock.now
                core.expireDeadlines(now: now)
                if core.shutdownSocketIfStalled(now: now, stallTimeout: stallTimeout) {
                    logger.error("AMQP I/O loop stalled; socket shut down to force a reconnect")
                }
            }
        }
        thread.name = "amqp-supervisor"
        thread.start()
    }
}
