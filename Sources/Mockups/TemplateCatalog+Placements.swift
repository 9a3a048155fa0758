extension TemplateCatalog {
    /// The presets every product type with placements declares (DESIGN.md §13).
    public static let requiredPresets = ["full_front", "center_chest", "left_chest", "full_back"]

    /// A flat-lay rectangle whose horizontal and vertical pixels per millimetre differ by
    /// more than this fraction would print-preview a stretched design.
    static let rectangleScaleTolerance = 0.02

    /// Problems of a type's printable areas, presets and default preset. A type with none
    /// of them is valid (a catalogue from before placements).
    static func placementProblems(_ type: TemplateManifest.ProductType, at location: String) -> [TemplateProblem] {
        guard type.printAreas != nil || type.presets != nil || type.defaultPreset != nil else { return [] }
        var problems: [TemplateProblem] = []
        func report(_ at: String, _ message: String) { problems.append(TemplateProblem(location: at, message: message)) }
        for (name, _) in type.printAreas ?? [:] where PrintSide(rawValue: name) == nil {
            report("\(location).print_areas.\(name)", "unknown side (expected front or back)")
        }
        for side in PrintSide.allCases {
            guard let area = type.printableArea(side) else {
                if side == .front { report("\(location).print_areas.front", "missing (a type with placements declares its front)") }
                continue
            }
            if !(area.widthMM > 0 && area.heightMM > 0 && area.widthMM.isFinite && area.heightMM.isFinite) {
                report("\(location).print_areas.\(side.rawValue)", "width_mm and height_mm must be positive")
            }
        }
        let presets = type.presets ?? [:]
        for required in requiredPresets where presets[required] == nil {
            report("\(location).presets.\(required)", "missing")
        }
        for (name, preset) in presets.sorted(by: { $0.key < $1.key }) {
            let at = "\(location).presets.\(name)"
            if !Placement.isPresetName(name) { report(at, "a preset name is lower-case letters, digits and _ (1 to 40)") }
            guard let area = type.printableArea(preset.side) else {
                report(at, "side '\(preset.side.rawValue)' has no print area (print_areas.\(preset.side.rawValue))")
                continue
            }
            if let problem = preset.problem(in: area) { report(at, problem) }
        }
        if let name = type.defaultPreset {
            if presets[name] == nil { report("\(location).default_preset", "'\(name)' is not a declared preset") }
        } else {
            report("\(location).default_preset", "missing (the preset a product gets when it names none)")
        }
        return problems
    }

    /// Problems of mapping `area` onto a template's print area.
    static func mappingProblems(_ printArea: PrintArea, area: PrintableArea, at location: String) -> [TemplateProblem] {
        guard let mapping = TemplateMapping(printArea: printArea, area: area) else {
            return [TemplateProblem(location: location, message: "cannot map the printable area onto this print area (empty or degenerate)")]
        }
        if let scale = mapping.rectangleScale {
            let ratio = scale.x / scale.y
            if abs(ratio - 1) > rectangleScaleTolerance {
                let across = (scale.x * 100).rounded() / 100, down = (scale.y * 100).rounded() / 100
                return [TemplateProblem(location: location, message: """
                    \(across) px/mm across but \(down) px/mm down: the rectangle's aspect must be the printable area's \
                    (\(area.widthMM)×\(area.heightMM) mm), or the preview is stretched
                    """)]
            }
        }
        return []
    }
}

extension Placement {
    /// Preset names: what a request may spell, and what the manifest may declare.
    public static func isPresetName(_ name: String) -> Bool {
        (1...40).contains(name.utf8.count) && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// The smallest box side, in millimetres, a placement may have.
    public static let minimumSideMM = 10.0

    /// Why this placement does not fit `area`, or `nil`.
    public func problem(in area: PrintableArea) -> String? {
        let values = [box.x, box.y, box.width, box.height]
        guard values.allSatisfy(\.isFinite) else { return "every value must be a finite number" }
        if box.width < Self.minimumSideMM || box.height < Self.minimumSideMM {
            return "the box must be at least \(Int(Self.minimumSideMM)) mm wide and high"
        }
        if box.x < 0 || box.y < 0 { return "offsets must not be negative" }
        if !area.box.contains(box) {
            return "the box (\(box.x), \(box.y)) \(box.width)×\(box.height) mm leaves the \(side.rawValue) print area of \(area.widthMM)×\(area.heightMM) mm"
        }
        return nil
    }
}
