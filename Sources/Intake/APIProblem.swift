public import Hummingbird
import Foundation

/// An error meant for the client, answered as `application/problem+json` (RFC 9457):
/// `{type, title, status, detail, code, field?}`.
///
/// Only these become client-visible problems (STYLE.md point 9); every other error is
/// logged by ``ProblemMiddleware`` and answered as a bare 500 `internal_error`.
/// `detail` is written for the API's user: it never carries SQL, server messages or
/// stack traces.
public struct APIProblem: Error, Sendable, Equatable {
    /// The stable, documented machine-readable codes (the `code` member and the last
    /// segment of `type`). Clients switch on these, never on `title` or `detail`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// 400: the body or a parameter is invalid; `field` names it when there is one.
        public static let validationFailed = Code(rawValue: "validation_failed")
        /// 401: no, malformed, unknown or revoked API key.
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// 402: the owner's credit balance cannot cover the reservation.
        public static let insufficientCredits = Code(rawValue: "insufficient_credits")
        /// 403: a signed image URL whose signature does not match its asset, width and expiry.
        public static let signatureInvalid = Code(rawValue: "signature_invalid")
        /// 403: a signed image URL past its expiry; ask the API for a new one.
        public static let urlExpired = Code(rawValue: "url_expired")
        /// 404: no such route, or no such product/asset for this owner.
        public static let notFound = Code(rawValue: "not_found")
        /// 405: the path exists, the method does not; `Allow` lists those that do.
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        /// 409: the product's status does not allow the operation.
        public static let invalidState = Code(rawValue: "invalid_state")
        /// 409: the library design is used by live products (`products` lists them).
        public static let designInUse = Code(rawValue: "design_in_use")
        /// 409: the `Idempotency-Key` was used before with a different body.
        public static let idempotencyConflict = Code(rawValue: "idempotency_conflict")
        /// 413: the request body is larger than the limit.
        public static let payloadTooLarge = Code(rawValue: "payload_too_large")
        /// 429: the API key's request budget is spent; see `Retry-After`.
        public static let rateLimited = Code(rawValue: "rate_limited")
        /// 500: anything unexpected; details are only in the server's log.
        public static let internalError = Code(rawValue: "internal_error")

        public var description: String { rawValue }
    }

    public var code: Code
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// The request member (JSON key, header or parameter) at fault, when there is one.
    public var field: String?
    /// Seconds for the `Retry-After` header (rate limiting).
    public var retryAfterSeconds: Int?
    /// Methods for the `Allow` header (405).
    public var allow: [String]?
    /// The products a refusal is about (`design_in_use`), as the `products` member.
    public var products: [String]?

    public init(
        _ code: Code, status: HTTPResponse.Status, title: String, detail: String, field: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The `type` URI: `urn:itp:problem:<code>`.
    public var type: String { "urn:itp:problem:\(code.rawValue)" }
}

extension APIProblem {
    static func validation(_ detail: String, field: String?) -> APIProblem {
        APIProblem(.validationFailed, status: .badRequest, title: "Validation failed", detail: detail, field: field)
    }

    static func notFound(_ detail: String) -> APIProblem {
        APIProblem(.notFound, status: .notFound, title: "Not found", detail: detail)
    }

    static func methodNotAllowed(_ method: String, path: String, allow: [String]) -> APIProblem {
        var problem = APIProblem(
            .methodNotAllowed, status: .methodNotAllowed, title: "Method not allowed",
            detail: "\(path) does not answer \(method); it answers \(allow.joined(separator: ", "))")
        problem.allow = allow
        return problem
    }

    /// A path parameter that is not a UUID (`id`): 400, not 404 — no id could ever match it.
    static func malformedID(_ parameter: String = "id") -> APIProblem {
        validation("\(parameter) must be a UUID (e.g. 0b9a3c7e-5f1d-4e2a-9c8b-7d6e5f4a3b2c)", field: parameter)
    }

    static func invalidState(_ detail: String) -> APIProblem {
        APIProblem(.invalidState, status: .conflict, title: "Invalid state", detail: detail)
    }

    static let unauthorized = APIProblem(
        .unauthorized, status: .unauthorized, title: "Unauthorized",
        detail: "send a valid API key as 'Authorization: Bearer itp_<prefix>_<secret>'")

    static let insufficientCredits = APIProblem(
        .insufficientCredits, status: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), title: "Insufficient credits",
        detail: "the credit balance cannot cover this request; ask for a credit grant")

    static let idempotencyConflict = APIProblem(
        .idempotencyConflict, status: .conflict, title: "Idempotency conflict",
        detail: "this Idempotency-Key was already used with a different request body", field: "Idempotency-Key")

    static func payloadTooLarge(limit: Int) -> APIProblem {
        APIProblem(.payloadTooLarge, status: .contentTooLarge, title: "Payload too large",
                   detail: "the request body exceeds \(limit) bytes")
    }

    static func rateLimited(retryAfter: Int) -> APIProblem {
        APIProblem(.rateLimited, status: .tooManyRequests, title: "Too many requests",
                   detail: "this API key's request budget is spent; retry after \(retryAfter) s", retryAfterSeconds: retryAfter)
    }

    static let internalError = APIProblem(
        .internalError, status: .internalServerError, title: "Internal server error",
        detail: "the request could not be completed; it has been logged")

    static let signatureInvalid = APIProblem(
        .signatureInvalid, status: .forbidden, title: "Signature invalid",
        detail: "this image URL's signature does not match it; use the URL exactly as the API gave it")

    static let urlExpired = APIProblem(
        .urlExpired, status: .forbidden, title: "URL expired",
        detail: "this image URL has expired; the gallery gives fresh ones")

    static let productNotFound = notFound("no such product")

    static let libraryDesignNotFound = notFound("no such library design")

    static func designInUse(products: [UUID]) -> APIProblem {
        var problem = APIProblem(
            .designInUse, status: .conflict, title: "Design in use",
            detail: "\(products.count) live product(s) use this design; cancel them first, or archive the design instead (?archive=true)")
        problem.products = products.map { $0.uuidString.lowercased() }
        return problem
    }
}
