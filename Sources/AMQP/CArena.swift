internal import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// C memory for one library call (publish properties, declare arguments), freed together
/// when the arena goes away. Owned by the I/O thread.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        guard let pointer = malloc(max(size, 1)) else { fatalError("AMQP: out of memory (\(size) bytes)") }
        allocations.append(pointer)
        return pointer
    }

    func bytes(_ value: [UInt8]) -> amqp_bytes_t {
        let pointer = allocate(value.count)
        value.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        return amqp_bytes_t(len: value.count, bytes: pointer)
    }

    func bytes(_ value: String) -> amqp_bytes_t { bytes(Array(value.utf8)) }

    /// A NUL-terminated copy for the few calls that take `char const *`.
    func cString(_ value: String) -> UnsafePointer<CChar> {
        let utf8 = Array(value.utf8) + [0]
        let pointer = allocate(utf8.count)
        utf8.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        return UnsafePointer(pointer.assumingMemoryBound(to: CChar.self))
    }

    func table(_ table: AMQPTable) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_empty_table }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * table.entries.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: table.entries.count)
        for (index, entry) in table.entries.enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(entry.key), value: field(entry.value))
        }
        return amqp_table_t(num_entries: Int32(table.entries.count), entries: entries)
    }

    func field(_ value: AMQPValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(kind.rawValue) }
        switch value {
        case .string(let string):
            field.kind = kind(AMQP_FIELD_KIND_UTF8)
            field.value.bytes = bytes(string)
        case .int(let int):
            field.kind = kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = int
        case .bool(let bool):
            field.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            field.value.boolean = bool ? 1 : 0
        case .double(let double):
            field.kind = kind(AMQP_FIELD_KIND_F64)
            field.value.f64 = double
        case .timestamp(let seconds):
            field.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            field.value.u64 = seconds
        case .bytes(let raw):
            field.kind = kind(AMQP_FIELD_KIND_BYTES)
            field.value.bytes = bytes(raw)
        case .table(let nested):
            field.kind = kind(AMQP_FIELD_KIND_TABLE)
            field.value.table = table(nested)
        case .array(let values):
            field.kind = kind(AMQP_FIELD_KIND_ARRAY)
            let elements = allocate(MemoryLayout<amqp_field_value_t>.stride * values.count)
                .bindMemory(to: amqp_field_value_t.self, capacity: values.count)
            for (index, element) in values.enumerated() { elements[index] = self.field(element) }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: elements)
        case .void:
            field.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }
}

extension [UInt8] {
    init(_ bytes: amqp_bytes_t) {
        guard bytes.len > 0, let base = bytes.bytes else { self = []; return }
        self = Array(UnsafeRawBufferPointer(start: base, count: bytes.len))
    }
}

extension String {
    init(_ bytes: amqp_bytes_t) {
        self = String(decoding: [UInt8](bytes), as: UTF8.self)
    }
}

extension AMQPTable {
    init(_ table: amqp_table_t) {
        self.init()
        guard table.num_entries > 0, let entries = table.entries else { return }
        for index in 0..<Int(table.num_entries) {
            self[String(entries[index].key)] = AMQPValue(entries[index].value)
        }
    }
}

extension AMQPValue {
    init(_ field: amqp_field_value_t) {
        let value = field.value
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: self = .bool(value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: self = .int(Int64(value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: self = .int(Int64(value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: self = .int(Int64(value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: self = .int(Int64(value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: self = .int(Int64(value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: self = .int(Int64(value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: self = .int(value.i64)
        case AMQP_FIELD_KIND_U64.rawValue: self = .int(Int64(truncatingIfNeeded: value.u64))
        case AMQP_FIELD_KIND_F32.rawValue: self = .double(Double(value.f32))
        case AMQP_FIELD_KIND_F64.rawValue: self = .double(value.f64)
        case AMQP_FIELD_KIND_DECIMAL.rawValue:
            var decimal = Double(value.decimal.value)
            for _ in 0..<value.decimal.decimals { decimal /= 10 }
            self = .double(decimal)
        case AMQP_FIELD_KIND_UTF8.rawValue: self = .string(String(value.bytes))
        case AMQP_FIELD_KIND_BYTES.rawValue: self = .bytes([UInt8](value.bytes))
        case AMQP_FIELD_KIND_TIMESTAMP.rawValue: self = .timestamp(value.u64)
        case AMQP_FIELD_KIND_TABLE.rawValue: self = .table(AMQPTable(value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue:
            var elements: [AMQPValue] = []
            if value.array.num_entries > 0, let entries = value.array.entries {
                for index in 0..<Int(value.array.num_entries) { elements.append(AMQPValue(entries[index])) }
            }
            self = .array(elements)
        default: self = .void
        }
    }
}
