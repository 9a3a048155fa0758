import AssetImages
import Foundation
import HTTPTypes
import Hummingbird
import Mockups
import Postgres
import Storage
import Vocabulary

/// The shop's design library (`/v1/library/designs…`): save a product's selected design,
/// list and show the shop's designs, delete or archive one, and put one on many garments
/// at once. Another shop's design answers exactly as an unknown id: 404.
struct LibraryRoutes: Sendable {
    typealias Context = IntakeRequestContext

    let database: PostgresClient
    let storage: any AssetStorage
    let catalog: TemplateCatalog
    let body: JSONBody
    let prices: IntakeConfiguration.Prices
    let products: ProductRoutes

    func save(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller()
        let input = try await body.decode(SaveDesignRequest.self, from: request)
        let view = try await saveDesign(caller: caller, productID: input.productID, name: input.name, tags: input.tags, context: context)
        return try JSONResponse.make(.created, view)
    }

    /// Saves the product's selected design as a new library design (the API's and the
    /// builder's "save to library"), then deletes the objects content addressing made duplicates.
    func saveDesign(caller: Caller, productID: UUID, name: String, tags: [String], context: Context) async throws -> LibraryDesignView {
        let outcome = try await LibrarySave(caller: caller, productID: productID, target: .newDesign(name: name, tags: tags)).run(on: database)
        await deleteDuplicates(outcome, context: context)
        context.logger.info("design saved to the library", metadata: [
            LogKey.productID: "\(productID)", LogKey.libraryDesignID: "\(outcome.designID)",
        ])
        guard let view = try await database.withConnection({ try LibraryDesignView.load(outcome.designID, caller: caller, on: $0) }) else {
            throw IntakeError.unexpected("a saved library design is not visible")
        }
        return view
    }

    /// `POST /v1/library/designs/{id}/versions` `{product_id}`: the product's selected design
    /// becomes the design's next version; products made from earlier versions keep theirs.
    func newVersion(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let input = try await body.decode(NewVersionRequest.self, from: request)
        let outcome = try await LibrarySave(caller: caller, productID: input.productID, target: .newVersion(of: id)).run(on: database)
        await deleteDuplicates(outcome, context: context)
        context.logger.info("library design version added", metadata: [
            LogKey.productID: "\(input.productID)", LogKey.libraryDesignID: "\(id)",
        ])
        guard let view = try await database.withConnection({ try LibraryDesignView.load(id, caller: caller, on: $0) }) else {
            throw IntakeError.unexpected("a saved library design is not visible")
        }
        return try JSONResponse.make(.created, view)
    }

    /// `GET /v1/library/designs/{id}/sync`: per product made from the design, what moving it
    /// to the latest version would change (see ``LibrarySync``). Writes nothing.
    func syncPreview(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let answer = try await LibrarySync(caller: caller, designID: id, catalog: catalog).preview(on: database)
        return try JSONResponse.make(.ok, answer)
    }

    /// `POST /v1/library/designs/{id}/sync` `{product_ids?}`: moves those products (or all)
    /// to the latest version; each stays on sale while its new mockups render.
    func sync(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let input = try await body.decode(SyncRequest.self, from: request)
        let answer = try await LibrarySync(caller: caller, designID: id, catalog: catalog).apply(only: input.productIDs, on: database)
        let started = answer.products.filter { $0.result == "started" }.count
        context.logger.info("library sync applied", metadata: [
            LogKey.libraryDesignID: "\(id)", LogKey.librarySyncStarted: "\(started)",
        ])
        return try JSONResponse.make(started > 0 ? .accepted : .ok, answer)
    }

    /// Objects whose content a blob already held: no row names them since the commit.
    private func deleteDuplicates(_ outcome: LibrarySave.Outcome, context: Context) async {
        let images = AssetImageStore(storage: storage)
        for key in outcome.duplicateKeys {
            do {
                try await storage.delete(try StorageKey(key))
                try await images.deleteThumbnails(of: key)
            } catch {
                context.logger.warning("a duplicate design object was not deleted", metadata: [LogKey.errorMessage: "\(error)"])
            }
        }
    }

    func list(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller()
        let includeArchived: Bool
        switch request.uri.queryParameters["archived"].map(String.init) {
        case nil, "false": includeArchived = false
        case "true": includeArchived = true
        default: throw APIProblem.validation("archived must be true or false", field: "archived")
        }
        let designs = try await database.withConnection {
            try LibraryDesignView.loadAll(caller: caller, includeArchived: includeArchived, on: $0)
        }
        return try JSONResponse.make(.ok, LibraryDesignList(designs: designs))
    }

    func design(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        guard let view = try await database.withConnection({ try LibraryDesignView.load(id, caller: caller, on: $0) }) else {
            throw APIProblem.libraryDesignNotFound
        }
        return try JSONResponse.make(.ok, view)
    }

    func delete(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let archive: Bool
        switch request.uri.queryParameters["archive"].map(String.init) {
        case nil, "false": archive = false
        case "true": archive = true
        default: throw APIProblem.validation("archive must be true or false", field: "archive")
        }
        let outcome = try await LibraryDeletion(caller: caller, designID: id, archive: archive).run(on: database)
        return try JSONResponse.make(.ok, outcome)
    }

    func batch(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.requireCaller(), id = try context.pathID()
        let key = try products.idempotencyKey(request)
        let input = try await body.decode(LibraryBatchRequest.self, from: request)
        if let version = input.version, version < 1 {
            throw APIProblem.validation("library_version must be at least 1", field: "library_version")
        }
        switch try await putOnProducts(
            caller: caller, designID: id, version: input.version, items: input.items, idempotencyKey: key, context: context) {
        case .created(let result):
            return try JSONResponse.make(.ok, result)
        case .replayed(let json):
            return JSONResponse.make(.ok, body: ByteBuffer(string: json), headers: [.idempotentReplayed: "true"])
        }
    }

    /// One library design on many garments (the API's batch and the builder's "use this
    /// design on…"): each item checked against the catalogue, then ``LibraryBatch``.
    func putOnProducts(
        caller: Caller, designID id: UUID, version: Int?, items requested: [LibraryBatchRequest.Item], idempotencyKey key: String?,
        context: Context
    ) async throws -> LibraryBatch.Outcome {
        var items: [LibraryBatch.Item] = []
        for (index, item) in requested.enumerated() {
            let draft: Result<LibraryDraft, APIProblem>
            do {
                draft = .success(try LibraryDraft.validated(
                    designID: id, version: version, productType: item.productType, shirtColor: item.shirtColor,
                    placement: item.placement, catalog: catalog, fieldPrefix: "items[\(index)]."))
            } catch let problem as APIProblem {
                draft = .failure(problem)
            }
            items.append((item.productType, item.shirtColor, draft))
        }
        let batch = LibraryBatch(
            caller: caller, designID: id, version: version, items: items, idempotencyKey: key, price: prices.library)
        let outcome = try await batch.run(on: database)
        if case .created(let result) = outcome {
            context.logger.info("library design put on products", metadata: [
                LogKey.libraryDesignID: "\(id)", LogKey.creditsReserved: "\(result.estimatedCost)",
            ])
        }
        return outcome
    }
}
