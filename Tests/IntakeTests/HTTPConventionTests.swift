import Foundation
import HTTPTypes
import Intake
import Prometheus
import Testing

@Suite("HTTP conventions and metrics")
struct HTTPConventionTests {
    @Test("every 401 carries WWW-Authenticate: Bearer")
    func wwwAuthenticate() async throws {
        try await IntakeFixture.with { fixture in
            let replies = try await fixture.withClient { client in
                [
                    try await client.send(.get, APIClient.path(UUID()), as: nil),
                    try await client.send(.post, "/v1/products", as: nil, json: CreateProductTests.body,
                                          headers: [.authorization: "Bearer itp_nosuchkey_0123456789abcdef0123"]),
                    try await client.send(.get, "/v1/assets/\(UUID().uuidString.lowercased())/content", as: nil,
                                          headers: [.authorization: "Basic dXNlcjpwYXNz"]),
                ]
            }
            for reply in replies {
                #expect(reply.status == 401)
                #expect(reply.headers[.wwwAuthenticate] == #"Bearer realm="itp""#)
            }
        }
    }

    @Test("/metrics has requests by route template and status, and a latency histogram, with HELP and never an id")
    func httpMetrics() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let registry = PrometheusCollectorRegistry()
            let product = try await fixture.withClient(configure: { $0.httpMetrics = HTTPMetrics(registry: registry) }) { client in
                let product = try await client.createProduct(owner)
                for _ in 0..<3 { try await client.send(.get, APIClient.path(product), as: owner) }
                try await client.send(.get, APIClient.path(UUID()), as: owner)
                try await client.send(.get, APIClient.path(product), as: nil)
                try await client.send(.delete, APIClient.path(product), as: owner)
                try await client.send(.get, "/v1/nothing/\(UUID().uuidString.lowercased())", as: owner)
                return product
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            let text = String(decoding: buffer, as: UTF8.self)
            let lines = text.split(separator: "\n").map(String.init)
            func sample(_ name: String, _ labels: [String: String]) -> Double? {
                lines.first { line in
                    line.hasPrefix(name + "{") && labels.allSatisfy { line.contains(#"\#($0.key)="\#($0.value)""#) }
                }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            let route = "/v1/products/{id}"
            #expect(HTTPMetrics.requestsName == "itp_http_requests_total")
            #expect(HTTPMetrics.durationName == "itp_http_request_duration_seconds")
            #expect(sample("itp_http_requests_total", ["route": "/v1/products", "method": "POST", "status": "202"]) == 1)
            #expect(sample("itp_http_requests_total", ["route": route, "method": "GET", "status": "200"]) == 3)
            #expect(sample("itp_http_requests_total", ["route": route, "method": "GET", "status": "404"]) == 1)
            #expect(sample("itp_http_requests_total", ["route": route, "method": "GET", "status": "401"]) == 1)
            #expect(sample("itp_http_requests_total", ["route": route, "method": "DELETE", "status": "405"]) == 1)
            #expect(sample("itp_http_requests_total", ["route": "unmatched", "method": "GET", "status": "404"]) == 1)
            #expect(sample("itp_http_request_duration_seconds_count", ["route": route, "method": "GET"]) == 5)
            #expect(sample("itp_http_request_duration_seconds_bucket", ["route": route, "method": "GET", "le": "+Inf"]) == 5)
            #expect(lines.contains { $0.hasPrefix("# HELP itp_http_requests_total ") })
            #expect(lines.contains { $0.hasPrefix("# HELP itp_http_request_duration_seconds ") })
            #expect(lines.contains("# TYPE itp_http_request_duration_seconds histogram"))
            // Bounded cardinality: no id in any label.
            #expect(!text.contains(product.uuidString.lowercased()))
            #expect(text.range(of: "[0-9a-f]{8}-[0-9a-f]{4}-", options: .regularExpression) == nil)
        }
    }
}
