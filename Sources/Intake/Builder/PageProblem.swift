import Hummingbird

/// An error of a builder page, shown to a person as an HTML page (``PageErrorMiddleware``),
/// never as problem+json: what went wrong in words, and the status a browser expects.
struct PageProblem: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var heading: String
    var message: String

    static let notFound = PageProblem(
        status: .notFound, heading: "Not found", message: "There is no such page, or it belongs to another shop.")
    static let csrf = PageProblem(
        status: .forbidden, heading: "Form expired",
        message: "This form was not sent from a page of this site, or your session changed since it was shown. Go back, reload the page and try again.")
    static let tooLarge = PageProblem(status: .contentTooLarge, heading: "Too much text", message: "The form sent more text than a page accepts.")
}
