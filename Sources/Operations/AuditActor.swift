/// Who did an operator action, and from where: an operator's name on the console, or the
/// Unix user running `itp-admin`.
public struct AuditActor: Sendable, Equatable {
    public enum Surface: String, Sendable {
        case console
        case cli
    }

    public var name: String
    public var surface: Surface

    public init(name: String, surface: Surface) {
        self.name = String(name.prefix(128))
        self.surface = surface
    }
}
