import Accounts
import FleetTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres

/// A builder user for the page tests, and a client that speaks HTML forms and cookies (pages
/// are outside the API document, so these requests bypass the contract check).
extension IntakeFixture {
    struct User: Sendable {
        var id: UUID
        var email: String
        var password: String
    }

    /// A user of `owner`'s shop with a known password (cheap scrypt cost: tests only).
    func makeUser(_ owner: Owner, password: String = "a long test password") async throws -> User {
        let email = uniqueName("user").replacingOccurrences(of: "_", with: "-") + "@shop.test"
        let hash = try PasswordHash.make(password: password, logN: 10).encoded
        let id = try await value(UUID.self, """
            INSERT INTO shop_users (owner_id, email, password_hash) VALUES (\(owner.id), \(email), \(hash)) RETURNING id
            """)
        return User(id: id, email: email, password: password)
    }

    /// A product row as the intake's creation makes it (`draft`, white tee), without its job.
    func createProduct(_ owner: Owner, prompt: String = "a lighthouse at dusk") async throws -> UUID {
        try await value(UUID.self, """
            INSERT INTO products (owner_id, status, prompt, product_type, shirt_color, candidate_count)
            VALUES (\(owner.id), 'draft', \(prompt), 'tshirt', 'white', 2) RETURNING id
            """)
    }
}

/// A browser in miniature: keeps the cookies it is given, sends forms.
actor PageBrowser {
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
        var setCookies: [String] { headers[values: .setCookie] }

        /// The value of the first hidden input `name` on the page.
        func hidden(_ name: String) -> String? {
            guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(.get, path, body: nil, headers: extra)
    }

    func post(_ path: String, form: [(String, String)], headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: body, headers: headers)
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: String?, headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let page = Page(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        for cookie in page.setCookies {
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
    func signIn(_ user: IntakeFixture.User, password: String? = nil) async throws -> Page {
        let form = try await get("/ui/sign-in")
        let token = form.hidden("csrf_token") ?? ""
        return try await post("/ui/sign-in", form: [("csrf_token", token), ("email", user.email), ("password", password ?? user.password)])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
