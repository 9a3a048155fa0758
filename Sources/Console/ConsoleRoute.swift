import Hummingbird

/// The console's routes as data: every page and form, registered by ``buildConsoleApplication(configuration:)``.
struct ConsoleRoute: Sendable {
    typealias Handler = @Sendable (Request, ConsoleRequestContext) async throws -> Response

    var method: String
    var path: String
    var handler: @Sendable (ConsoleRoutes) -> Handler

    var routerPath: String { path }

    static let all: [ConsoleRoute] = [
        ConsoleRoute(method: "GET", path: "/sign-in", handler: { $0.signInForm }),
        ConsoleRoute(method: "POST", path: "/sign-in", handler: { $0.signIn }),
        ConsoleRoute(method: "POST", path: "/sign-out", handler: { $0.signOut }),
        ConsoleRoute(method: "GET", path: "/", handler: { $0.overview }),
        ConsoleRoute(method: "GET", path: "/dead-letters", handler: { $0.deadLetters }),
        ConsoleRoute(method: "GET", path: "/dead-letters/:id", handler: { $0.deadLetter }),
        ConsoleRoute(method: "POST", path: "/dead-letters/replay", handler: { $0.replayPreview }),
        ConsoleRoute(method: "POST", path: "/dead-letters/purge", handler: { $0.purgePreview }),
        ConsoleRoute(method: "POST", path: "/dead-letters/purge/confirm", handler: { $0.purgeConfirm }),
        ConsoleRoute(method: "GET", path: "/replays/:id", handler: { $0.replayPlan }),
        ConsoleRoute(method: "POST", path: "/replays/:id", handler: { $0.replayConfirm }),
        ConsoleRoute(method: "GET", path: "/actions/:id", handler: { $0.action }),
        ConsoleRoute(method: "GET", path: "/audit", handler: { $0.audit }),
        ConsoleRoute(method: "GET", path: "/scaling", handler: { $0.scaling }),
        ConsoleRoute(method: "GET", path: "/products/:id", handler: { $0.product }),
        ConsoleRoute(method: "POST", path: "/products/:id/retry-mockups", handler: { $0.retryDeadMockups }),
        ConsoleRoute(method: "POST", path: "/products/:id/cancel", handler: { $0.cancelProduct }),
        ConsoleRoute(method: "GET", path: "/assets/:id/thumbnail", handler: { $0.thumbnail }),
        ConsoleRoute(method: "GET", path: "/jobs/:id", handler: { $0.job }),
        ConsoleRoute(method: "GET", path: "/static/:file", handler: { $0.staticFile }),
    ]
}
