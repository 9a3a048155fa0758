import Foundation
import HTTPTransport

/// The shopper's side of the soak, over the intake's HTTP API. Every call is retried
/// across intake instances while they are killed and restarted; a create carries an
/// `Idempotency-Key`, so a retried create cannot make a second product.
struct Storefront: Sendable {
    let intakes: [String]
    let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(2), totalTimeout: .seconds(20)))

    struct CallError: Error, CustomStringConvertible {
        var description: String
    }

    /// A 4xx answer other than the ones the caller expects: a finding, not retried.
    struct Refused: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "HTTP \(status): \(body.prefix(300))" }
    }

    /// Sends until a non-5xx answer arrives (connection failures and 5xx are what faults
    /// cause), for at most `patience`.
    func call(_ method: HTTPMethod, _ path: String, apiKey: String, json: String? = nil, idempotencyKey: String? = nil,
              patience: Duration = .seconds(180)) async throws -> (status: Int, object: [String: Any]) {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(apiKey)"]
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        let deadline = ContinuousClock.now + patience
        var last = "no attempt"
        var delay = Duration.milliseconds(200)
        while ContinuousClock.now < deadline {
            let base = intakes[Int.random(in: 0..<intakes.count)]
            do {
                let response = try await client.perform(HTTPRequest(method: method, url: base + path, headers: headers, body: json.map { Array($0.utf8) }))
                if response.status >= 500 || response.status == 429 {
                    last = "HTTP \(response.status): \(response.bodyText.prefix(200))"
                } else {
                    let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
                    return (response.status, object)
                }
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(3))
        }
        throw CallError(description: "\(method) \(path) did not succeed within \(patience): \(last)")
    }
}
