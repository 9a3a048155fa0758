@testable import AMQP
import Testing

@Suite struct TableCodingTests {
    @Test func roundTripsThroughTheCRepresentation() {
        let table: AMQPTable = [
            "x-queue-type": "quorum",
            "x-delivery-limit": 20,
            "x-single-active-consumer": false,
            "ratio": .double(0.5),
            "when": .timestamp(1_700_000_000),
            "raw": .bytes([0, 1, 2]),
            "x-death": .array([.table(["count": 3, "queue": "design.generate"])]),
            "nothing": .void,
        ]
        let arena = CArena()
        let decoded = AMQPTable(arena.table(table))
        #expect(decoded == table)
        #expect(decoded["x-delivery-limit"]?.intValue == 20)
        #expect(decoded["x-queue-type"]?.stringValue == "quorum")
    }

    @Test func keysAreUniqueAndOrdered() {
        var table: AMQPTable = ["a": 1, "b": 2]
        table["a"] = 3
        table["c"] = "x"
        table["b"] = nil
        #expect(table.entries.map(\.key) == ["a", "c"])
        #expect(table["a"] == .int(3))
    }

    @Test func propertiesRoundTrip() {
        let properties = AMQPProperties(
            contentType: "application/json", messageID: "m-1", correlationID: "c-1", type: "design.generate",
            headers: ["attempt": 2], expiration: "5000", timestamp: 1_700_000_000)
        let arena = CArena()
        #expect(AMQPProperties(properties.encoded(in: arena)) == properties)
    }
}
