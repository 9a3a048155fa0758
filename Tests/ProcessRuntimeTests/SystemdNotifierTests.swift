@testable import ProcessRuntime
import FleetTesting
import Testing

@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func sendsEachStateAsADatagram(abstract: Bool) async throws {
        let socket = try NotifySocket(abstract: abstract)
        let notifier = SystemdNotifier(environment: socket.environment())
        #expect(notifier.isEnabled)

        try notifier.ready()
        try notifier.status("waiting for broker\nsecond line")
        try notifier.watchdog()
        try notifier.stopping()
        try notifier.mainPID(4242)

        let received = try await socket.receive { $0.hasPrefix("MAINPID=") }
        #expect(received == ["READY=1", "STATUS=waiting for broker second line", "WATCHDOG=1", "STOPPING=1", "MAINPID=4242"])
    }

    @Test func withoutNotifySocketEverythingIsANoOp() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogInterval == nil)
        try notifier.ready()
        try notifier.watchdog()
    }

    @Test func watchdogIntervalComesFromWatchdogUSecForThisProcessOnly() {
        let mine = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "77"], processID: 77)
        #expect(mine.watchdogInterval == .seconds(30))
        let unset = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], processID: 77)
        #expect(unset.watchdogInterval == .seconds(30))
        let someoneElses = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "78"], processID: 77)
        #expect(someoneElses.watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "soon"]).watchdogInterval == nil)
    }

    @Test func aMissingSocketIsAnErrorNamingIt() throws {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        let error = #expect(throws: ProcessRuntimeError.self) { try notifier.ready() }
        #expect(error?.code == .notifyFailed)
        #expect(error?.description.contains("/nonexistent/notify.sock") == true)
    }

    @Test func aRelativeSocketPathIsRejected() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative.sock"])
        #expect(throws: ProcessRuntimeError.self) { try notifier.ready() }
    }
}
