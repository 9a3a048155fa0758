public import Hummingbird

/// An error of a server-rendered page, shown to a person as an HTML page with the status a
/// browser expects — never problem+json: what went wrong, in words.
public struct PageProblem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var heading: String
    public var message: String

    public init(status: HTTPResponse.Status, heading: String, message: String) {
        self.status = status
        self.heading = heading
        self.message = message
    }

    public static let notFound = PageProblem(status: .notFound, heading: "Not found", message: "There is no such page.")
    public static let csrf = PageProblem(
        status: .forbidden, heading: "Form expired",
        message: "This form was not sent from a page of this site, or your session changed since it was shown. Go back, reload the page and try again.")
    public static let tooLarge = PageProblem(status: .contentTooLarge, heading: "Too much text", message: "The form sent more text than a page accepts.")
    public static let unsupportedForm = PageProblem(
        status: .unsupportedMediaType, heading: "Unsupported form", message: "The form was not sent as a web form.")
}
