import Foundation
public import Hummingbird
import Logging
import WebPages

/// Builds the operator console: its own router and listener (`ITP_CONSOLE_ADDR`), nothing of
/// the shop-facing API, and the service that runs bulk actions in the background. Tests call
/// it directly (HummingbirdTesting); `itp-admin console` runs it with the outbox relay.
///
/// - Throws: when the console's templates are missing from the build.
public func buildConsoleApplication(configuration: ConsoleConfiguration) throws -> some ApplicationProtocol {
    guard let resources = Bundle.module.resourceURL else { throw PageTemplatesError(description: "the Console resource bundle is missing") }
    let pages = try PageTemplates.load(resources: resources, staticFiles: [("console.css", "text/css; charset=utf-8")])
    let actions = BulkActions(database: configuration.database, logger: configuration.logger)
    let routes = ConsoleRoutes(
        pages: pages, database: configuration.database, actions: actions, defaultRate: configuration.defaultRate,
        pageSize: configuration.pageSize, broker: configuration.broker, images: configuration.images, workers: configuration.workers,
        systemctl: configuration.systemctl)

    let router = Router(context: ConsoleRequestContext.self)
    router.add(middleware: ConsoleErrorMiddleware(pages: pages))
    router.add(middleware: SignInRedirectMiddleware())
    router.add(middleware: OperatorSessionMiddleware.make(database: configuration.database))
    for route in ConsoleRoute.all {
        guard let method = HTTPRequest.Method(route.method) else { continue }
        router.on(RouterPath(route.routerPath), method: method, use: route.handler(routes))
    }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.address.host, port: configuration.address.port), serverName: nil),
        services: [actions],
        logger: configuration.logger)
}
