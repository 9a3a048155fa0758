/// Each daemon kind's own default port for /metrics, /healthz and /readyz, so that every
/// daemon runs on one host with its defaults, and every instance of a worker template unit
/// (`itp-flatlay-worker@N`, which passes `ITP_INSTANCE=%i`) gets its own port:
///
/// | daemon | default port |
/// |---|---|
/// | `itp-intake` | 9464 |
/// | `itp-finalizer` | 9465 |
/// | `itp-design-worker` | 9500 + N |
/// | `itp-flatlay-worker` | 9600 + N |
/// | `itp-mr-imagine` | 9700 + N |
/// | `itp-canary-worker` | 9800 + N |
/// | `itp-webhook-worker` | 9900 + N |
///
/// N is `ITP_INSTANCE`, 1 to ``maxInstance`` (unset: 0). The ranges cannot overlap, every
/// port is above 1024 (the daemons run as the unprivileged `itp` user) and below the
/// kernel's ephemeral range. An explicit `ITP_OBSERVABILITY_ADDR` wins over all of this.
public struct ObservabilityPorts: Sendable, Equatable {
    /// The port with no instance number.
    public var base: Int
    /// Whether the daemon is run as a template unit and takes `ITP_INSTANCE`.
    public var takesInstance: Bool

    public init(base: Int, takesInstance: Bool) {
        self.base = base
        self.takesInstance = takesInstance
    }

    /// The highest instance number: each worker kind owns 100 ports.
    public static let maxInstance = 99
    /// The listen host when `ITP_OBSERVABILITY_ADDR` is unset.
    public static let defaultHost = "127.0.0.1"

    /// The scheme of each daemon, by executable name.
    public static let byDaemon: [String: ObservabilityPorts] = [
        "itp-intake": .init(base: 9464, takesInstance: false),
        "itp-finalizer": .init(base: 9465, takesInstance: false),
        "itp-design-worker": .init(base: 9500, takesInstance: true),
        "itp-flatlay-worker": .init(base: 9600, takesInstance: true),
        "itp-mr-imagine": .init(base: 9700, takesInstance: true),
        "itp-canary-worker": .init(base: 9800, takesInstance: true),
        "itp-webhook-worker": .init(base: 9900, takesInstance: true),
    ]

    /// The default address (of instance `instance`, if any).
    public func address(instance: Int?) -> HostPort {
        HostPort(host: Self.defaultHost, port: base + (instance ?? 0))
    }
}
