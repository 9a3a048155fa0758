/// An ordered AMQP field table (arguments, headers). Keys are unique; assigning an
/// existing key replaces its value in place.
public struct AMQPTable: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The entries in encoding order.
    public private(set) var entries: [(key: String, value: AMQPValue)]

    public init() { entries = [] }

    public init(dictionaryLiteral elements: (String, AMQPValue)...) {
        entries = []
        for (key, value) in elements { self[key] = value }
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> AMQPValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public static func == (lhs: AMQPTable, rhs: AMQPTable) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
