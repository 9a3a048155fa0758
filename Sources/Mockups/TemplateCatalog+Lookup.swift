extension TemplateCatalog {
    /// The template for a product type, colour and kind, falling back to the declared
    /// defaults (the type's `default_color`, then the manifest's `default_product_type`)
    /// when the requested one is not declared or its image file is missing. The reason
    /// for a fallback is recorded in the result, and from there in `template_info`.
    ///
    /// `side` chooses the front's templates (the colourway's own) or the back's.
    ///
    /// - Throws: ``MockupError`` `.templateUnavailable` when no declared default is usable either.
    public func lookup(productType: String, color: String, kind: MockupKind, side: PrintSide = .front) throws(MockupError) -> ResolvedTemplate {
        var reasons: [String] = []
        var typeName = productType
        var type = manifest.productTypes[productType]
        if type == nil {
            guard let fallbackType = manifest.defaultProductType, let declared = manifest.productTypes[fallbackType] else {
                throw MockupError(.templateUnavailable,
                                  "no templates for product type '\(productType)' and no usable default_product_type")
            }
            reasons.append("no templates for product type '\(productType)'; used the default product type '\(fallbackType)'")
            typeName = fallbackType
            type = declared
        }
        guard let type else { preconditionFailure("resolved above") }

        let label = side == .front ? kind.rawValue : "\(side.rawValue) \(kind.rawValue)"
        if let entry = type.colors[color]?[kind, side] {
            if Self.fileExists(path(of: entry.image)) {
                return resolved(entry, type: type, productType: productType, color: color, typeName: typeName,
                                colorName: color, kind: kind, side: side, reasons: reasons)
            }
            reasons.append("\(label) template '\(entry.id)' image \(entry.image) is missing")
        } else {
            reasons.append("no \(label) template for \(typeName)/\(color)")
        }
        let fallbackColor = type.defaultColor
        guard fallbackColor != color, let entry = type.colors[fallbackColor]?[kind, side], Self.fileExists(path(of: entry.image)) else {
            let all = reasons + ["the declared default \(typeName)/\(fallbackColor) is unavailable too"]
            throw MockupError(.templateUnavailable, all.joined(separator: "; "))
        }
        reasons.append("used the declared default colour '\(fallbackColor)'")
        return resolved(entry, type: type, productType: productType, color: color, typeName: typeName,
                        colorName: fallbackColor, kind: kind, side: side, reasons: reasons)
    }

    private func resolved(
        _ entry: TemplateEntry, type: TemplateManifest.ProductType, productType: String, color: String, typeName: String,
        colorName: String, kind: MockupKind, side: PrintSide, reasons: [String]
    ) -> ResolvedTemplate {
        let shadingPath: String? = switch entry.shading {
        case .base: nil
        case .image(let relative): path(of: relative)
        }
        return ResolvedTemplate(
            requestedProductType: productType, requestedColor: color, productType: typeName, color: colorName,
            kind: kind, entry: entry, imagePath: path(of: entry.image), shadingPath: shadingPath,
            fallbackReason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
            side: side, printableArea: type.printableArea(side))
    }
}
