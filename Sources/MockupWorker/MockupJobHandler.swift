import Foundation
public import JobRuntime
public import Logging
public import Mockups
public import Postgres
import ProductFlow
public import Storage
import Vocabulary

/// Runs `mockup.flat_lay` or `mockup.mr_imagine` jobs (DESIGN.md §1 steps 4–5): composites
/// exactly the design asset the job names onto the catalogue's template for the product's
/// type and colour, stores the PNG under a key of the job, and activates it — unless the
/// product was re-selected meanwhile, in which case the job is superseded and nothing of
/// it shows.
///
/// Order of work: staleness check → design blob → template → render (off the cooperative
/// pool) → store → staleness check → commit (which checks a third time under the
/// product's lock). Only the last check is authoritative; the earlier ones save work.
public struct MockupJobHandler: JobHandler {
    public let kind: MockupKind
    public var kinds: Set<String> { [kind.jobKind] }

    private let catalog: TemplateCatalog
    private let renderer: MockupRenderer
    private let storage: any AssetStorage
    private let database: PostgresClient
    private let renderQueue: RenderQueue
    private let logger: Logger

    /// - Parameters:
    ///   - catalog: loaded (and checked) at boot; the manifest is re-read per job and images
    ///     per render, so replaced images and bumped versions take effect without a restart.
    ///   - database: the worker's pool, for the checks outside the success transaction.
    public init(
        kind: MockupKind, catalog: TemplateCatalog, renderer: MockupRenderer = MockupRenderer(),
        storage: any AssetStorage, database: PostgresClient, logger: Logger
    ) {
        self.kind = kind
        self.catalog = catalog
        self.renderer = renderer
        self.storage = storage
        self.database = database
        self.renderQueue = RenderQueue(label: "itp.mockup.render.\(kind.rawValue)", work: "mockup_\(kind.rawValue)")
        self.logger = logger
    }

    public func perform(_ job: ClaimedJob) async throws -> JobCompletion {
        let payload = try job.decodePayload(MockupJobPayload.self)
        var logger = self.logger
        logger[metadataKey: LogKey.jobID] = "\(job.id)"
        logger[metadataKey: LogKey.productID] = "\(payload.productID)"
        logger[metadataKey: LogKey.mockupKind] = "\(kind.rawValue)"
        logger[metadataKey: LogKey.selectionVersion] = "\(payload.selectionVersion)"
        if let productID = job.productID, productID != payload.productID {
            throw JobFailure(.permanent, "the job row names product \(productID), its payload \(payload.productID)", stage: "decode_payload")
        }

        let designKey: String
        switch try await selectionStatus(payload) {
        case .stale(let reason):
            logger.notice("mockup job superseded before rendering", metadata: [LogKey.supersededReason: "\(reason)"])
            return .superseded(reason)
        case .current(let key?, _):
            designKey = key
        case .current(nil, _):
            throw JobFailure(.permanent, "design asset \(payload.designAssetID) has no stored blob", stage: "load_design")
        case .noProduct:
            throw JobFailure(.permanent, "product \(payload.productID) does not exist", stage: "check_selection")
        }

        var placement: Placement?
        if let requested = payload.placement {
            guard let known = Placement(requested) else {
                throw JobFailure(.permanent, "the payload's placement side '\(requested.side)' is not front or back", stage: "decode_payload")
            }
            placement = known
        }
        let design = try await loadDesign(designKey, assetID: payload.designAssetID)
        let designSHA256 = ContentDigest.sha256(design).map { String(format: "%02x", $0) }.joined()
        let template = try resolveTemplate(payload, side: placement?.side ?? .front, logger: logger)
        let (renderer, kind, chosen) = (self.renderer, self.kind, placement)
        let rendered = try await renderQueue.run { () throws -> Rendered in
            do throws(MockupError) {
                let mockup = try renderer.render(design: design, template: template, placement: chosen, designSHA256: designSHA256)
                return Rendered(mockup: mockup, sha256: ContentDigest.sha256(mockup.png))
            } catch {
                throw JobFailure.mockup(error, stage: "render")
            }
        }
        let key = try MockupStorageKey.make(productID: payload.productID, selectionVersion: payload.selectionVersion,
                                            kind: kind, jobID: job.id)
        do {
            // Under the claim: a later attempt of this job never finds its committed blob
            // overwritten by this one (``ClaimedJob/whileClaimHeld(in:_:)``).
            let (storage, png) = (self.storage, rendered.mockup.png)
            try await job.whileClaimHeld(in: database) {
                try await storage.put(key, bytes: png, contentType: "image/png")
            }
        } catch let failure as JobFailure {
            throw failure
        } catch {
            throw JobFailure.storage(error, key: key, what: "storing the mockup", stage: "store_mockup")
        }

        // Selections made while rendering are common (a shopper changing their mind); say
        // "superseded" now, before the success transaction (which checks again under the lock).
        if case .stale(let reason) = try await selectionStatus(payload) {
            logger.notice("mockup job superseded while rendering", metadata: [LogKey.supersededReason: "\(reason)"])
            return .superseded(reason)
        }
        let activation = MockupActivation(
            payload: payload, kind: kind, jobID: job.id, storageKey: key.rawValue,
            width: rendered.mockup.width, height: rendered.mockup.height, byteSize: rendered.mockup.png.count, sha256: rendered.sha256,
            templateInfo: try PostgresJSON(encoding: rendered.mockup.info).text)
        logger.info("mockup rendered", metadata: [
            LogKey.templateID: "\(rendered.mockup.info.templateID)", LogKey.assetBytes: "\(rendered.mockup.png.count)",
        ])
        return .deciding { connection in try activation.apply(on: connection) }
    }

    private struct Rendered: Sendable {
        var mockup: RenderedMockup
        var sha256: [UInt8]
    }

    private func selectionStatus(_ payload: MockupJobPayload) async throws -> SelectionCheck.Status {
        try await database.withConnection { connection in
            try SelectionCheck.status(of: payload, lock: false, on: connection)
        }
    }

    /// Exactly the named asset's blob: never "the latest design", which may have changed.
    private func loadDesign(_ rawKey: String, assetID: UUID) async throws -> [UInt8] {
        let key: StorageKey
        do {
            key = try StorageKey(rawKey)
        } catch {
            throw JobFailure(.permanent, "design asset \(assetID) has an unusable storage key: \(error)", stage: "load_design")
        }
        do {
            return try await storage.get(key)
        } catch {
            throw JobFailure.storage(error, key: key, what: "the design blob of asset \(assetID)", stage: "load_design")
        }
    }

    /// The manifest as it is now: re-read for every job (a few kilobytes of JSON, next to a
    /// render of hundreds of milliseconds), so a template version bump takes effect without a
    /// restart and `itp-admin templates rerender` renders with the new version. A manifest
    /// that became unreadable or malformed leaves the one checked at boot in use.
    private func currentCatalog(logger: Logger) -> TemplateCatalog {
        do {
            return try TemplateCatalog(directory: catalog.directory)
        } catch {
            logger.warning("template manifest unusable; the one loaded at boot is used", metadata: [LogKey.error: "\(error)"])
            return catalog
        }
    }

    private func resolveTemplate(_ payload: MockupJobPayload, side: PrintSide, logger: Logger) throws(JobFailure) -> ResolvedTemplate {
        let template: ResolvedTemplate
        let catalog = currentCatalog(logger: logger)
        do throws(MockupError) {
            template = try catalog.lookup(productType: payload.productType, color: payload.shirtColor, kind: kind, side: side)
        } catch {
            throw JobFailure.mockup(error, stage: "resolve_template")
        }
        if let reason = template.fallbackReason {
            logger.warning("template fallback", metadata: [
                LogKey.templateRequested: "\(template.requestedProductType)/\(template.requestedColor)",
                LogKey.templateUsed: "\(template.productType)/\(template.color)",
                LogKey.templateID: "\(template.entry.id)", LogKey.templateFallbackReason: "\(reason)",
            ])
        }
        return template
    }
}
