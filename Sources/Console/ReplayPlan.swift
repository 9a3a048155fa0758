import Foundation
import Operations

/// A bulk replay being prepared: its targets and its dry run, decided in the background and
/// kept in this console process until it is confirmed (or the process ends: preview again).
struct ReplayPlan: Sendable {
    enum State: Sendable {
        case deciding(done: Int)
        case ready(ReplayBatch.DryRun)
        case failed
    }

    var id: UUID
    var operatorName: String
    /// What was selected, as the audit records it.
    var selectionJSON: String
    /// Where the operator came from (the list with its filters).
    var listLink: String
    var targets: [ReplayTarget]
    var state: State
    /// Set once confirmed: the audit row of the run (a plan runs at most once).
    var auditID: Int64?
}
