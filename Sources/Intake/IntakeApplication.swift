import AssetImages
public import Hummingbird
import Logging

/// Builds the intake's HTTP application: the router with problem+json errors,
/// `/openapi.yaml`, the authenticated, rate-limited `/v1` routes and the builder's pages
/// (`/ui`, signed in by a session cookie), plus the service
/// that drives event streams (``ProductEventHub``). Tests call it directly and exercise
/// the result with HummingbirdTesting; `itp-intake` runs it in its `ServiceGroup`.
///
/// - Throws: when the OpenAPI document is missing from the build.
public func buildApplication(configuration: IntakeConfiguration) throws -> some ApplicationProtocol {
    let openAPI = try OpenAPIDocument.served(catalog: configuration.catalog, maxCandidates: configuration.maxCandidates)
    let caches = IntakeCaches()
    let hub = ProductEventHub(conninfo: configuration.listenConninfo, caches: caches, logger: configuration.logger)
    let routes = ProductRoutes(
        database: configuration.database, catalog: configuration.catalog, imageURLs: configuration.imageURLs,
        galleries: caches.galleries, metrics: configuration.httpMetrics,
        body: JSONBody(limit: configuration.maxBodyBytes), hub: hub, eventKeepAlive: configuration.eventKeepAlive,
        maxCandidates: configuration.maxCandidates, prices: configuration.prices)
    let library = LibraryRoutes(
        database: configuration.database, storage: configuration.storage, catalog: configuration.catalog,
        body: JSONBody(limit: configuration.maxBodyBytes), prices: configuration.prices, products: routes)
    let webhooks = WebhookRoutes(
        database: configuration.database, body: JSONBody(limit: configuration.maxBodyBytes), destinations: configuration.webhookDestinations)

    let buckets = TokenBuckets(limit: configuration.rateLimit)
    let builder = BuilderRoutes(
        pages: try BuilderPages.load(), database: configuration.database, catalog: configuration.catalog,
        maxCandidates: configuration.maxCandidates, prices: configuration.prices, buckets: buckets, library: library)

    let router = Router(context: IntakeRequestContext.self)
    router.add(middleware: HTTPMetricsMiddleware(metrics: configuration.httpMetrics))
    router.add(middleware: ProblemMiddleware())
    router.on(RouterPath(IntakeRoute.openAPI.routerPath), method: .get) { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = MediaTypes.yaml
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: openAPI)))
    }

    if configuration.benchmarkConstantRoute {
        let constant = ByteBuffer(string: #"{"product_id":"00000000-0000-0000-0000-000000000000","status":"ready_for_sale","slots":[]}"#)
        router.get("/bench/constant") { _, _ in
            Response(status: .ok, headers: [.contentType: MediaTypes.json], body: ResponseBody(byteBuffer: constant))
        }
        // The same as a webhook receiver (benchmarks/webhooks/run): the body is read and dropped.
        router.post("/bench/constant") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: MediaTypes.json], body: ResponseBody(byteBuffer: constant))
        }
    }

    let authentication = AuthMiddleware(database: configuration.database, keys: caches.keys, metrics: configuration.httpMetrics)
    let rateLimit = RateLimitMiddleware(buckets: buckets)
    let v1 = router.group().add(middleware: authentication).add(middleware: rateLimit)
    let handlers: [(IntakeRoute, @Sendable (Request, IntakeRequestContext) async throws -> Response)] = [
        (.createProduct, routes.create), (.listProducts, routes.list), (.product, routes.product), (.designs, routes.designs),
        (.selection, routes.selection), (.regenerate, routes.regenerate), (.cancel, routes.cancel),
        (.gallery, routes.gallery), (.events, routes.events),
        (.createWebhookEndpoint, webhooks.create), (.webhookEndpoints, webhooks.list), (.deleteWebhookEndpoint, webhooks.delete),
        (.rotateWebhookSecret, webhooks.rotateSecret), (.webhookDeliveries, webhooks.deliveries), (.redeliverWebhook, webhooks.redeliver),
        (.saveLibraryDesign, library.save), (.libraryDesigns, library.list), (.libraryDesign, library.design),
        (.deleteLibraryDesign, library.delete), (.libraryDesignProducts, library.batch),
        (.libraryDesignVersions, library.newVersion), (.librarySyncPreview, library.syncPreview), (.librarySync, library.sync),
    ]
    for (route, handler) in handlers {
        guard let method = HTTPRequest.Method(route.method) else { continue }
        v1.on(RouterPath(route.routerPath), method: method, use: handler)
    }

    // Images also answer signed URLs without a key (public pages embed them).
    let assets = AssetRoutes(
        database: configuration.database, images: AssetImageStore(storage: configuration.storage), signer: configuration.imageURLs)
    router.group().add(middleware: SignedOrAuthenticated(authentication: authentication, rateLimit: rateLimit))
        .on(RouterPath(IntakeRoute.assetContent.routerPath), method: .get, use: assets.content)

    let ui = router.group()
        .add(middleware: PageErrorMiddleware(pages: builder.pages))
        .add(middleware: BuilderSessionMiddleware.make(database: configuration.database))
    let pages: [(IntakeRoute, @Sendable (Request, IntakeRequestContext) async throws -> Response)] = [
        (.home, builder.root), (.signInForm, builder.signInForm), (.signIn, builder.signIn), (.signOut, builder.signOut),
        (.productsPage, builder.products), (.newProductPage, builder.newProduct), (.createProductForm, builder.createProduct),
        (.productPage, builder.product), (.designsPage, builder.designs), (.selectionForm, builder.select),
        (.regenerateForm, builder.regenerate), (.saveToLibraryForm, builder.saveToLibrary), (.libraryPage, builder.library),
        (.useDesignForm, builder.useDesign), (.staticFile, builder.staticFile),
    ]
    for (route, handler) in pages {
        guard let method = HTTPRequest.Method(route.method) else { continue }
        ui.on(RouterPath(route.routerPath), method: method, use: handler)
    }

    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.address.host, port: configuration.address.port), serverName: nil),
        services: [hub],
        logger: configuration.logger)
}
