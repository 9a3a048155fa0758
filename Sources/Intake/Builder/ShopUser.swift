import Foundation

/// A person signed in to the builder: a user of one shop, with the session's CSRF token that
/// every state-changing form must carry.
struct ShopUser: Sendable, Equatable {
    var userID: UUID
    var ownerID: UUID
    var email: String
    var csrfToken: String
    /// The session cookie's value (sign-out deletes that session).
    var sessionToken: String

    /// The user acts as its shop: the same ``Caller`` an API key of the shop would be, keyed by
    /// the user for rate limiting.
    var caller: Caller { Caller(keyID: userID, ownerID: ownerID) }
}
