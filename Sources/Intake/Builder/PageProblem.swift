import WebPages

/// A builder page's error is the shared page error (``WebPages/PageProblem``): shown as an HTML
/// page (``PageErrorMiddleware``), never as problem+json.
typealias PageProblem = WebPages.PageProblem

extension PageProblem {
    /// The builder's 404 also covers another shop's product (it is not said to exist).
    static let shopNotFound = PageProblem(
        status: .notFound, heading: "Not found", message: "There is no such page, or it belongs to another shop.")
}
