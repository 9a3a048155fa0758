import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A browser in miniature: keeps the cookies it is given, sends forms, follows nothing by itself.
actor ConsoleBrowser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(client: any TestClientProtocol) {
        self.client = client
    }

    struct Page: Sendable {
        var status: Int
        var headers: HTTPFields
        var text: String
        var location: String? { headers[.location] }

        /// The value of the first hidden input `name` on the page.
        func hidden(_ name: String) -> String? {
            guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }

        /// The text of the element with `id` (up to its next tag).
        func element(_ id: String) -> String? {
            guard let start = text.range(of: "id=\"\(id)\"") else { return nil }
            guard let close = text[start.upperBound...].firstIndex(of: ">") else { return nil }
            return String(text[text.index(after: close)...].prefix { $0 != "<" })
        }
    }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(.get, path, body: nil, headers: extra)
    }

    func post(_ path: String, form: [(String, String)]) async throws -> Page {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: body, headers: [.contentType: "application/x-www-form-urlencoded"])
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: String?, headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let page = Page(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        for cookie in response.headers[values: .setCookie] {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return page
    }

    func setCookie(_ name: String, _ value: String?) {
        cookies[name] = value
    }

    /// Signs in through the form; returns the answer to the form's POST.
    @discardableResult
    func signIn(_ name: String, _ password: String) async throws -> Page {
        let form = try await get("/sign-in")
        return try await post("/sign-in", form: [("csrf_token", form.hidden("csrf_token") ?? ""), ("name", name), ("password", password)])
    }

    /// The CSRF token of the signed-in pages (from the sign-out form of any page).
    func csrf() async throws -> String {
        try await get("/audit").hidden("csrf_token") ?? ""
    }

    /// GETs `path` until `done` holds for it, or fails after `seconds`.
    func waitFor(_ path: String, seconds: Double = 30, _ done: (Page) -> Bool) async throws -> Page {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while true {
            let page = try await get(path)
            if done(page) { return page }
            if ContinuousClock.now >= deadline { throw WaitTimeout(path: path, last: String(page.text.prefix(2000))) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

struct WaitTimeout: Error, CustomStringConvertible {
    var path: String
    var last: String
    var description: String { "timed out waiting on \(path); last page: \(last)" }
}
