import Foundation
import Operations

/// Who runs `itp-admin`, as the operator audit records it: the Unix user (the one behind
/// `sudo` when there is one).
enum AdminActor {
    static var current: AuditActor {
        let environment = ProcessInfo.processInfo.environment
        let name = environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "uid \(getuid())"
        return AuditActor(name: name.isEmpty ? "uid \(getuid())" : name, surface: .cli)
    }
}
