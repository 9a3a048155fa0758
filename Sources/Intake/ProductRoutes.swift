import AssetImages
import Foundation
import HTTPTypes
import Hummingbird
import Mockups
import Postgres
import Vocabulary

/// The `/v1` handlers. Each reads and validates its input, runs one database operation
/// (a small type per operation) and encodes the answer; errors are ``APIProblem``s.
struct ProductRoutes: Sendable {
    typealias Context = IntakeRequestContext

    let database: PostgresClient
    let catalog: TemplateCatalog
    let imageURLs: ImageURLSigner
    let galleries: NotifiedCache<UUID, IntakeCaches.Gallery>
    let metrics: HTTPMetrics
    let body: JSONBody
    let hub: ProductEventHub
    let eventKeepAlive: Duration
    let maxCandidates: Int
    let prices: IntakeConfiguration.Prices

    func create(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller()
        let key = try idempotencyKey(request)
        let input = try await body.decode(CreateProductRequest.self, from: request)
        if let library = try input.libraryDraft(catalog: catalog) {
            return try await createFromLibrary(library, caller: caller, key: key, context: context)
        }
        let draft = try input.validated(catalog: catalog, maxCandidates: maxCandidates)
        let creation = ProductCreation(caller: caller, draft: draft, idempotencyKey: key, price: prices.create)
        switch try await creation.run(on: database) {
        case .created(let id, let cost):
            context.logger.info("product created", metadata: [LogKey.productID: "\(id)", LogKey.creditsReserved: "\(cost)"])
            return try JSONResponse.make(
                .accepted, AcceptedProduct(id: id, status: .draft, iteration: 1, selectionVersion: 0, estimatedCost: cost))
        case .replayed(let id, let cost):
            return try await replayed(id, cost: cost, caller: caller)
        }
    }

    /// The answer to a create sent again with its `Idempotency-Key`: the product as it is now,
    /// with the credits its first request reserved.
    private func replayed(_ id: UUID, cost: Int, caller: Caller) async throws -> Response {
        guard let view = try await database.withConnection({ try ProductView.load(id, caller: caller, on: $0) }) else {
            throw APIProblem.productNotFound
        }
        return try JSONResponse.make(
            .ok, AcceptedProduct(
                id: id, status: view.status, iteration: view.iteration, selectionVersion: view.selectionVersion, estimatedCost: cost),
            headers: [.idempotentReplayed: "true"])
    }

    /// `POST /v1/products` with `library_design_id`: ``LibraryProductCreation`` in one
    /// transaction, idempotent by `Idempotency-Key` exactly as a prompt product is.
    private func createFromLibrary(_ draft: LibraryDraft, caller: Caller, key: String?, context: Context) async throws -> Response {
        let canonical = try draft.canonicalJSON(), price = prices.library
        let outcome = try await database.withTransaction { connection -> ProductCreation.Outcome in
            if let key, let existing = try ProductCreation.replay(key: key, canonical: canonical, caller: caller, on: connection) {
                return existing
            }
            if let made = try LibraryProductCreation.make(
                draft, caller: caller, price: price, idempotency: key.map { ($0, canonical) }, on: connection) {
                return .created(made.productID, cost: price)
            }
            guard let key, let existing = try ProductCreation.replay(key: key, canonical: canonical, caller: caller, on: connection) else {
                throw IntakeError.unexpected("idempotency conflict without a visible product")
            }
            return existing
        }
        switch outcome {
        case .created(let id, let cost):
            context.logger.info("product created from the library", metadata: [
                LogKey.productID: "\(id)", LogKey.libraryDesignID: "\(draft.designID)", LogKey.creditsReserved: "\(cost)",
            ])
            return try JSONResponse.make(
                .accepted, AcceptedProduct(id: id, status: .generatingMockups, iteration: 1, selectionVersion: 1, estimatedCost: cost))
        case .replayed(let id, let cost):
            return try await replayed(id, cost: cost, caller: caller)
        }
    }

    func list(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller()
        let parameters = request.uri.queryParameters
        let query = try ProductListView.Query(
            status: parameters["status"].map(String.init), limit: parameters["limit"].map(String.init),
            cursor: parameters["cursor"].map(String.init))
        let view = try await database.withConnection { try ProductListView.load(caller: caller, query: query, on: $0) }
        return try JSONResponse.make(.ok, view)
    }

    func product(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        guard let view = try await database.withConnection({ try ProductView.load(id, caller: caller, on: $0) }) else {
            throw APIProblem.productNotFound
        }
        return try JSONResponse.make(.ok, view)
    }

    func designs(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let all: Bool
        switch request.uri.queryParameters["iteration"].map(String.init) {
        case nil, "current": all = false
        case "all": all = true
        default: throw APIProblem.validation("iteration must be 'current' or 'all'", field: "iteration")
        }
        guard let view = try await database.withConnection({
            try DesignsView.load(id, caller: caller, allIterations: all, on: $0)
        }) else { throw APIProblem.productNotFound }
        return try JSONResponse.make(.ok, view)
    }

    func selection(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let input = try await body.decode(SelectionRequest.self, from: request)
        let accepted = try await ProductSelection(caller: caller, productID: id, assetID: input.assetID).run(on: database)
        galleries.invalidate([id])
        context.logger.info("design selected", metadata: [
            LogKey.productID: "\(id)", LogKey.assetID: "\(input.assetID)", LogKey.selectionVersion: "\(accepted.selectionVersion ?? 0)",
        ])
        return try JSONResponse.make(.accepted, accepted)
    }

    func regenerate(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let input = try await body.decode(RegenerateRequest.self, from: request)
        let accepted = try await ProductRegeneration(
            caller: caller, productID: id, feedback: input.feedback, price: prices.regenerate
        ).run(on: database)
        galleries.invalidate([id])
        return try JSONResponse.make(.accepted, accepted)
    }

    func cancel(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let result = try await ProductCancelled.cancel(id, caller: caller, on: database)
        galleries.invalidate([id])
        return try JSONResponse.make(.ok, result)
    }

    /// The display list and its signed body come from ``IntakeCaches`` while no change of the
    /// product has been notified since they were read (signed again when the hour of the
    /// URLs' expiry turns). This intake's own writes (selection, regeneration, cancellation)
    /// drop them at once, so a client reads its writes here; a worker's change arrives by
    /// NOTIFY, milliseconds later.
    func gallery(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        // Taken before anything is read: a change notified after this never gets stored over.
        let ticket = galleries.ticket()
        let now = Date(), expires = imageURLs.expiry(now: now)
        let view: GalleryView
        if let cached = galleries.value(for: id), cached.ownerID == caller.ownerID {
            metrics.cacheLookup(.gallery, hit: true)
            if cached.expires == expires { return JSONResponse.make(.ok, body: cached.body) }
            view = cached.view
        } else {
            metrics.cacheLookup(.gallery, hit: false)
            guard let loaded = try await database.withConnection({ try GalleryView.load(id, caller: caller, on: $0) }) else {
                throw APIProblem.productNotFound
            }
            view = loaded
        }
        let body = try JSONResponse.encode(view.signed(with: imageURLs, now: now))
        galleries.store(IntakeCaches.Gallery(ownerID: caller.ownerID, view: view, expires: expires, body: body), for: id, ticket: ticket)
        return JSONResponse.make(.ok, body: body)
    }

    func events(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        return try await ProductEventStream(
            caller: caller, productID: id, database: database, hub: hub, keepAlive: eventKeepAlive
        ).response()
    }

    func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw APIProblem.validation("Idempotency-Key must be 1 to 255 printable ASCII characters", field: "Idempotency-Key")
        }
        return key
    }
}
