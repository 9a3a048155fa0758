import Foundation
import Operations

/// An operator signed in to the console, with the session's CSRF token every form must carry.
struct SignedInOperator: Sendable, Equatable {
    var id: UUID
    var name: String
    /// Sees every page; may not act (enforced by every action's handler).
    var readOnly: Bool
    var csrfToken: String
    var sessionToken: String

    var actor: AuditActor { AuditActor(name: name, surface: .console) }
}
