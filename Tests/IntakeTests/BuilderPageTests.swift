import FleetTesting
import Foundation
import HTTPTypes
import Postgres
import Testing

/// The builder's pages as a browser meets them: sign-in with throttling and a session cookie,
/// CSRF on every form, a shop's user seeing only its shop, the cookie good for reads of the
/// API and for nothing else.
@Suite struct BuilderPageTests {
    @Test func signInSetsAStrictHttpOnlySessionStoredOnlyAsAHash() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                let signedOut = try await browser.get("/ui/products")
                #expect(signedOut.status == 303)
                #expect(signedOut.location?.hasPrefix("/ui/sign-in?next=") == true)
                let answer = try await browser.signIn(user)
                #expect(answer.status == 303)
                #expect(answer.location == "/ui/products")
                let cookie = try #require(answer.setCookies.first { $0.hasPrefix("itp_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
                #expect(!cookie.contains("Secure"), "plain http: no Secure flag")
                let token = try #require(await browser.cookies["itp_session"])
                #expect(try await fixture.count("SELECT count(*)::int FROM shop_sessions WHERE csrf_token = \(token)") == 0)
                #expect(try await fixture.count("""
                    SELECT count(*)::int FROM shop_sessions WHERE token_sha256 = sha256(convert_to(\(token), 'UTF8')) AND user_id = \(user.id)
                    """) == 1)
                let list = try await browser.get("/ui/products")
                #expect(list.status == 200)
                #expect(list.text.contains(user.email))
                #expect(list.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
        }
    }

    @Test func theSessionCookieIsSecureBehindTLS() async throws {
        try await IntakeFixture.with { fixture in
            let user = try await fixture.makeUser(try await fixture.makeOwner())
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                let form = try await browser.get("/ui/sign-in", headers: [.init("X-Forwarded-Proto")!: "https"])
                let answer = try await browser.post("/ui/sign-in", form: [
                    ("csrf_token", form.hidden("csrf_token") ?? ""), ("email", user.email), ("password", user.password),
                ], headers: [.init("X-Forwarded-Proto")!: "https"])
                #expect(answer.setCookies.first { $0.hasPrefix("itp_session=") }?.contains("; Secure") == true)
            }
        }
    }

    @Test func wrongPasswordsAreThrottledPerAccountBeforeAnyHashing() async throws {
        try await IntakeFixture.with { fixture in
            let user = try await fixture.makeUser(try await fixture.makeOwner())
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                for _ in 0..<5 {
                    let refused = try await browser.signIn(user, password: "not the password")
                    #expect(refused.status == 401)
                    #expect(refused.text.contains("do not match"))
                }
                // The sixth try, even with the right password, is refused until the window passes.
                let throttled = try await browser.signIn(user)
                #expect(throttled.status == 429)
                #expect(throttled.headers[.retryAfter].flatMap(Int.init) ?? 0 > 0)
                #expect(throttled.setCookies.allSatisfy { !$0.hasPrefix("itp_session=") })
                #expect(try await fixture.count("SELECT count(*)::int FROM sign_in_failures WHERE login = \(user.email)") == 5)
            }
        }
    }

    @Test func aSignInFormWithoutItsTokenIsRefused() async throws {
        try await IntakeFixture.with { fixture in
            let user = try await fixture.makeUser(try await fixture.makeOwner())
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                _ = try await browser.get("/ui/sign-in")
                let answer = try await browser.post("/ui/sign-in", form: [("csrf_token", "forged"), ("email", user.email), ("password", user.password)])
                #expect(answer.status == 403)
                #expect(answer.setCookies.allSatisfy { !$0.hasPrefix("itp_session=") })
            }
        }
    }

    @Test func everyStateChangingFormNeedsTheSessionsCSRFToken() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            let product = try await fixture.createProduct(owner)
            let designs = try await fixture.seedDesigns(product)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let id = product.uuidString.lowercased()
                let forms: [(String, [(String, String)])] = [
                    ("/ui/products", [("prompt", "a cat"), ("garment", "tshirt:white"), ("candidates", "1")]),
                    ("/ui/products/\(id)/selection", [("asset_id", designs[0][0].uuidString)]),
                    ("/ui/products/\(id)/regenerate", [("feedback", "bigger")]),
                    ("/ui/products/\(id)/library", [("name", "a cat"), ("tags", "cats")]),
                    ("/ui/library/\(UUID().uuidString.lowercased())/products", [
                        ("garment", "tshirt:white"), ("idempotency_key", "0123456789abcdef0123"),
                    ]),
                    ("/ui/sign-out", []),
                ]
                for (path, fields) in forms {
                    #expect(try await browser.post(path, form: fields).status == 403, "\(path) without a token")
                    #expect(try await browser.post(path, form: fields + [("csrf_token", "x")]).status == 403, "\(path) with a wrong token")
                }
                #expect(try await fixture.count("SELECT count(*)::int FROM products WHERE owner_id = \(owner.id)") == 1)
                #expect(try await fixture.count("SELECT selection_version FROM products WHERE id = \(product)") == 0)
                #expect(try await fixture.count("SELECT count(*)::int FROM library_designs WHERE owner_id = \(owner.id)") == 0)
                #expect(try await browser.get("/ui/products").status == 200, "still signed in")
            }
        }
    }

    @Test func aUserSeesOnlyItsOwnShop() async throws {
        try await IntakeFixture.with { fixture in
            let shopA = try await fixture.makeOwner(), shopB = try await fixture.makeOwner()
            let userB = try await fixture.makeUser(shopB)
            let product = try await fixture.createProduct(shopA)
            let designs = try await fixture.seedDesigns(product)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(userB)
                let id = product.uuidString.lowercased()
                #expect(try await browser.get("/ui/products/\(id)").status == 404)
                #expect(try await browser.get("/ui/products/\(id)/designs").status == 404)
                #expect(try await browser.get("/v1/assets/\(designs[0][0].uuidString.lowercased())/content").status == 404)
                #expect(try await browser.get("/v1/products/\(id)").status == 404)
                let list = try await browser.get("/ui/products")
                #expect(!list.text.contains(id))
                let csrf = try #require(await browser.csrf(from: "/ui/products/new"))
                let select = try await browser.post("/ui/products/\(id)/selection", form: [
                    ("csrf_token", csrf),
                    ("asset_id", designs[0][0].uuidString),
                ])
                #expect(select.status == 404)
                #expect(try await fixture.count("SELECT selection_version FROM products WHERE id = \(product)") == 0)
            }
        }
    }

    @Test func theCookieReadsTheAPIButNeverWritesThroughIt() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            let product = try await fixture.createProduct(owner)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let read = try await browser.get("/v1/products/\(product.uuidString.lowercased())")
                #expect(read.status == 200)
                let write = try await browser.send(.post, "/v1/products", body: #"{"prompt":"x","product_type":"tshirt","shirt_color":"white"}"#,
                                                   headers: [.contentType: "application/json"])
                #expect(write.status == 401)
                #expect(try await fixture.count("SELECT count(*)::int FROM products WHERE owner_id = \(owner.id)") == 1)
            }
        }
    }

    @Test func signOutEndsTheSessionInTheDatabase() async throws {
        try await IntakeFixture.with { fixture in
            let user = try await fixture.makeUser(try await fixture.makeOwner())
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let token = try #require(await browser.cookies["itp_session"])
                let csrf = try #require(await browser.csrf(from: "/ui/products"))
                let out = try await browser.post("/ui/sign-out", form: [("csrf_token", csrf)])
                #expect(out.status == 303)
                await browser.setCookie("itp_session", token)
                #expect(try await browser.get("/ui/products").status == 303, "the old cookie opens nothing")
                #expect(try await fixture.count("SELECT count(*)::int FROM shop_sessions WHERE user_id = \(user.id)") == 0)
            }
        }
    }

    @Test func aRefusedCreationIsShownInWordsWithTheFormKeptAndNothingMade() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 0)
            let user = try await fixture.makeUser(owner)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let csrf = try #require(await browser.csrf(from: "/ui/products/new"))
                let refused = try await browser.post("/ui/products", form: [
                    ("csrf_token", csrf), ("prompt", "an owl & a <moon>"), ("garment", "tshirt:white"), ("candidates", "2"),
                    ("idempotency_key", "form-key-0123456789"),
                ])
                #expect(refused.status == 402)
                #expect(refused.text.contains("Not enough credits"))
                #expect(refused.text.contains("an owl &amp; a &lt;moon&gt;"), "the prompt kept, escaped")
                let invalid = try await browser.post("/ui/products", form: [
                    ("csrf_token", csrf), ("prompt", "x"), ("garment", "tshirt:purple"), ("candidates", "2"),
                ])
                #expect(invalid.status == 400)
                #expect(invalid.text.contains("Shirt_color must be one of"))
                #expect(try await fixture.count("SELECT count(*)::int FROM products WHERE owner_id = \(owner.id)") == 0)
            }
        }
    }

    @Test func aCreatedProductIsOneProductEvenWhenTheFormIsSentTwice() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let csrf = try #require(await browser.csrf(from: "/ui/products/new"))
                let form = [("csrf_token", csrf), ("prompt", "a heron"), ("garment", "hoodie:navy"), ("candidates", "3"),
                            ("idempotency_key", "form-key-abcdefghijkl")]
                let first = try await browser.post("/ui/products", form: form)
                let second = try await browser.post("/ui/products", form: form)
                #expect(first.status == 303 && second.status == 303)
                #expect(first.location == second.location)
                #expect(try await fixture.count("""
                    SELECT count(*)::int FROM products WHERE owner_id = \(owner.id) AND product_type = 'hoodie' AND candidate_count = 3
                    """) == 1)
                let page = try await browser.get(try #require(first.location))
                #expect(page.status == 200)
                #expect(page.text.contains("Navy hoodie"))
            }
        }
    }

    @Test func theFormsPlacementIsTheProductsAndABadOneIsNamed() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let form = try await browser.get("/ui/products/new")
                #expect(form.text.contains("<option value=\"left_chest\">Left chest</option>"))
                let csrf = try #require(form.hidden("csrf_token"))
                let created = try await browser.post("/ui/products", form: [
                    ("csrf_token", csrf), ("prompt", "a wren"), ("garment", "tshirt:black"), ("candidates", "1"), ("placement", "left_chest"),
                ])
                #expect(created.status == 303)
                #expect(try await fixture.count("""
                    SELECT count(*)::int FROM products WHERE owner_id = \(owner.id) AND placement->>'preset' = 'left_chest'
                    """) == 1)
                let page = try await browser.get(try #require(created.location))
                #expect(page.text.contains("Left chest (front)"))
                let refused = try await browser.post("/ui/products", form: [
                    ("csrf_token", csrf), ("prompt", "a wren"), ("garment", "tshirt:black"), ("candidates", "1"), ("placement", "on_the_sleeve"),
                ])
                #expect(refused.status == 400)
                #expect(refused.text.contains("<option value=\"on_the_sleeve\"") == false)
                #expect(try await fixture.count("SELECT count(*)::int FROM products WHERE owner_id = \(owner.id)") == 1)
            }
        }
    }

    @Test func theProductPageShowsOnlyTheGalleryOnceSelected() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            let product = try await fixture.createProduct(owner)
            let designs = try await fixture.seedDesigns(product, candidates: 2)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let id = product.uuidString.lowercased()
                let before = try await browser.get("/ui/products/\(id)")
                for asset in designs.joined() { #expect(before.text.contains(asset.uuidString.lowercased())) }
                let csrf = try #require(before.hidden("csrf_token"))
                let selected = try await browser.post("/ui/products/\(id)/selection", form: [("csrf_token", csrf), ("asset_id", designs[1][0].uuidString)])
                #expect(selected.status == 303)
                let after = try await browser.get("/ui/products/\(id)")
                #expect(after.text.contains("id=\"gallery\""))
                for asset in designs.joined() where asset != designs[1][0] {
                    #expect(!after.text.contains(asset.uuidString.lowercased()), "an unselected design on the product page")
                }
                #expect(after.text.contains(designs[1][0].uuidString.lowercased()))
                let fragment = try await browser.get("/ui/products/\(id)", headers: [.init("X-Fragment")!: "live"])
                #expect(fragment.headers[.init("X-Live")!] == "on")
                #expect(!fragment.text.contains("<html"))
            }
        }
    }
}

extension PageBrowser {
    /// The CSRF token a page's forms carry.
    func csrf(from path: String) async throws -> String? {
        try await get(path).hidden("csrf_token")
    }
}
