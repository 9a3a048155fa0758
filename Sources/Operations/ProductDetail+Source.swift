extension ProductDetail {
    /// Where the product's design came from, for people: `generated from the prompt; made by
    /// openai-images gpt-image-1`, or `library design "Lighthouse" <id> version 1 (latest 2);
    /// overrides: shirt_color`. `itp-admin products show` and the console's product page say it.
    public var sourceDescription: String {
        let origin = library.map { source in
            "library design \"\(source.designName)\" \(source.designId.uuidString.lowercased()) version \(source.version)"
                + " (latest \(source.latestVersion)\(source.designArchived ? ", archived" : ""))"
                + "; overrides: \(source.overrides.isEmpty ? "none" : source.overrides.joined(separator: ", "))"
        } ?? "generated from the prompt"
        guard let design = assets.first(where: \.isPrimaryDesign), let provider = design.provider else { return origin }
        return origin + "; made by \(provider)" + (design.model.map { " \($0)" } ?? "")
    }
}
