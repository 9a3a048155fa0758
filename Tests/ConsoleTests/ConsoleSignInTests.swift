import FleetTesting
import Foundation
import HTTPTypes
import Testing

/// Who may sign in to the console: operators only, by their own realm's session cookie.
@Suite struct ConsoleSignInTests {
    @Test func anOperatorSignsInAndOutWithAnHttpOnlyStrictCookie() async throws {
        try await ConsoleFixture.with { fixture in
            let op = try await fixture.makeOperator()
            try await fixture.withBrowser { browser in
                let first = try await browser.get("/dead-letters")
                #expect(first.status == 303)
                #expect(first.location?.hasPrefix("/sign-in?next=") == true)
                let signIn = try await browser.signIn(op.name, op.password)
                #expect(signIn.status == 303)
                let cookie = signIn.headers[values: .setCookie].first { $0.hasPrefix("itp_console_session=") } ?? ""
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(cookie)")
                let overview = try await browser.get("/")
                #expect(overview.status == 200)
                #expect(overview.text.contains("\(op.name) (operator)"))
                let token = overview.hidden("csrf_token") ?? ""
                let out = try await browser.post("/sign-out", form: [("csrf_token", token)])
                #expect(out.status == 303)
                #expect(try await browser.get("/").status == 303)
            }
        }
    }

    @Test func aShopUserItsSessionAndAShopKeyNeverSignIn() async throws {
        try await ConsoleFixture.with { fixture in
            let shop = try await fixture.makeShopUser()
            try await fixture.withBrowser { browser in
                // The shop user's e-mail and password are not an operator's.
                let refused = try await browser.signIn(shop.email, shop.password)
                #expect(refused.status == 401)
                #expect(await browser.cookies["itp_console_session"] == nil)
                // A live builder session under its own cookie name, or under the console's, is nobody here.
                await browser.setCookie("itp_session", shop.sessionToken)
                #expect(try await browser.get("/").status == 303)
                await browser.setCookie("itp_console_session", shop.sessionToken)
                #expect(try await browser.get("/").status == 303)
                // A shop API key in the Authorization header is never read.
                let keyed = try await browser.get("/dead-letters", headers: [.authorization: "Bearer itp_\(String(repeating: "a", count: 40))"])
                #expect(keyed.status == 303)
            }
            #expect(try await fixture.count("SELECT count(*) FROM sign_in_failures WHERE realm = 'operator'") == 1)
        }
    }

    @Test func aReadOnlyOperatorSeesButCannotActAndAFormWithoutCSRFIsRefused() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.deadJobs(3, errorClass: "permanent", stage: "provider_call", reason: "refused the prompt")
            let watcher = try await fixture.makeOperator(readOnly: true)
            let op = try await fixture.makeOperator()
            try await fixture.withBrowser { browser in
                try await browser.signIn(watcher.name, watcher.password)
                let list = try await browser.get("/dead-letters")
                #expect(list.status == 200)
                #expect(list.element("matching") == "3")
                #expect(!list.text.contains("id=\"replay\""), "a read-only operator is offered no action")
                let token = try await browser.csrf()
                let purge = try await browser.post("/dead-letters/purge/confirm", form: [("csrf_token", token), ("scope", "matching"), ("shown", "3")])
                #expect(purge.status == 403)
                #expect(purge.text.contains("Read-only operator"))
                let replay = try await browser.post("/dead-letters/replay", form: [("csrf_token", token), ("scope", "matching")])
                #expect(replay.status == 403)
            }
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let noToken = try await browser.post("/dead-letters/purge/confirm", form: [("scope", "matching"), ("shown", "3")])
                #expect(noToken.status == 403)
                #expect(noToken.text.contains("Form expired"))
                let wrongToken = try await browser.post("/dead-letters/replay", form: [("csrf_token", "x" + String(repeating: "y", count: 42)), ("scope", "matching")])
                #expect(wrongToken.status == 403)
            }
            #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 3)
            #expect(try await fixture.count("SELECT count(*) FROM operator_audit") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'dead'") == 3)
        }
    }
}
