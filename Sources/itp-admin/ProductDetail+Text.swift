import Foundation
import Operations
import ProductFlow

extension ProductDetail {
    /// `left_chest: front 90×90 mm at (174, 29)`, or `none (fixed print size)`.
    static func describe(_ placement: PrintPlacement?) -> String {
        guard let placement else { return "none (fixed print size, centred mockups)" }
        func mm(_ value: Double) -> String { value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value) }
        return "\(placement.preset ?? "explicit"): \(placement.side) \(mm(placement.widthMM))×\(mm(placement.heightMM)) mm"
            + " at (\(mm(placement.xMM)), \(mm(placement.yMM))) mm"
    }

    var text: String {
        var lines = [
            "product \(id.uuidString.lowercased())",
            "  status: \(status)" + (failureReason.map { " (\($0))" } ?? ""),
            "  owner: \(owner)  type: \(productType)  colour: \(shirtColor)  iteration: \(iteration)  selection: \(selectionVersion)",
            "  placement: \(Self.describe(placement))",
            "  prompt: \(prompt)",
            "  source: \(sourceDescription)",
            "  created: \(Timestamp.format(createdAt))  updated: \(Timestamp.format(updatedAt))" + (readyAt.map { "  ready: \(Timestamp.format($0))" } ?? ""),
            "iterations (\(iterations.count)):",
        ]
        var iterationTable = Table("IT", "REQUESTED", "FEEDBACK")
        for entry in iterations {
            iterationTable.add(["\(entry.iteration)", Timestamp.format(entry.requestedAt), entry.feedback ?? "(first generation, from the prompt)"])
        }
        lines.append(indent(iterationTable.render()))
        lines.append("assets (\(assets.count)):")
        var assetTable = Table("ID", "ROLE", "VARIANT", "IT", "CAND", "SEL", "FLAGS", "STATUS", "SIZE", "DPI", "KEY")
        for asset in assets {
            var flags: [String] = []
            if asset.isPrimaryDesign { flags.append("primary") }
            if asset.isActive { flags.append("active") }
            if asset.pendingSelection { flags.append("pending") }
            if asset.archivedAt != nil { flags.append("archived") }
            if asset.sharedBlob { flags.append("shared") }
            let status = asset.generationStatus + (asset.errorStatus.map { " (\($0): \(asset.errorMessage ?? ""))" } ?? "")
            assetTable.add([
                asset.id.uuidString.lowercased(), asset.role, asset.variant ?? "-", asset.iteration.map(String.init) ?? "-",
                asset.candidateIndex.map(String.init) ?? "-", asset.selectionVersion.map(String.init) ?? "-",
                flags.isEmpty ? "inactive" : flags.joined(separator: ","), status,
                asset.width.map { "\($0)x\(asset.height ?? 0)" } ?? "-",
                asset.effectiveDpi.map { "\($0)" + (asset.printQuality.map { " (\($0))" } ?? "") } ?? "-", asset.storageKey ?? "-",
            ])
        }
        lines.append(indent(assetTable.render()))
        lines.append("jobs (\(jobs.count)):")
        var jobTable = Table("ID", "KIND", "STATE", "ATTEMPTS", "SEL", "LAST ERROR")
        for job in jobs {
            jobTable.add([
                job.id.uuidString.lowercased(), job.kind, job.state, "\(job.attempts)", job.selectionVersion.map(String.init) ?? "-",
                job.lastError.map { String($0.prefix(80)) } ?? "-",
            ])
        }
        lines.append(indent(jobTable.render()))
        lines.append("credit ledger (\(ledger.count)):")
        var ledgerTable = Table("TIME", "KIND", "AMOUNT", "RESERVATION", "NOTE")
        for entry in ledger {
            ledgerTable.add([
                Timestamp.format(entry.createdAt), entry.kind, "\(entry.amount)",
                entry.reservationId.map { String($0.uuidString.lowercased().prefix(8)) } ?? "-", entry.note ?? "",
            ])
        }
        lines.append(indent(ledgerTable.render()))
        return lines.joined(separator: "\n")
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
