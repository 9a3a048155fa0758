import Foundation
import HTTPTypes
import Testing

/// The builder's library pages without a browser: "save to library" from a product page,
/// the library page, and "use this design on…" answered per garment, sent twice making nothing twice.
@Suite struct LibraryPageTests {
    @Test func aSavedDesignIsUsedOnGarmentsAndEachGarmentIsAnswered() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let user = try await fixture.makeUser(owner)
            let product = try await fixture.createProduct(owner)
            let designs = try await fixture.seedDesigns(product)
            try await fixture.withClient { api in
                let browser = PageBrowser(client: api.client)
                try await browser.signIn(user)
                let id = product.uuidString.lowercased()
                let before = try await browser.get("/ui/products/\(id)")
                #expect(!before.text.contains("save-to-library"), "nothing to save before a design is selected")
                let csrf = try #require(before.hidden("csrf_token"))
                let selected = try await browser.post("/ui/products/\(id)/selection", form: [("csrf_token", csrf), ("asset_id", designs[0][0].uuidString)])
                #expect(selected.status == 303)
                #expect(try await browser.get("/ui/products/\(id)").text.contains("id=\"save-to-library\""))

                let blank = try await browser.post("/ui/products/\(id)/library", form: [("csrf_token", csrf), ("name", " "), ("tags", "kept")])
                #expect(blank.status == 400)
                #expect(blank.text.contains("value=\"kept\""), "the refused form is shown as typed")
                let saved = try await browser.post("/ui/products/\(id)/library", form: [("csrf_token", csrf), ("name", "Heron"), ("tags", "Birds, birds, sea")])
                #expect(saved.status == 303)
                let location = try #require(saved.location)
                #expect(location.hasPrefix("/ui/library?saved="))
                let design = String(location.dropFirst("/ui/library?saved=".count))
                #expect(try await fixture.count("SELECT count(*)::int FROM library_designs WHERE owner_id = \(owner.id)") == 1)

                let library = try await browser.get(location)
                #expect(library.status == 200)
                #expect(library.text.contains("Saved “Heron” to your library."))
                #expect(library.text.contains("birds, sea"))
                #expect(library.text.contains("value=\"hoodie:navy\""), "the catalogue's swatches")
                let key = try #require(library.hidden("idempotency_key"))

                let form = [("csrf_token", csrf), ("idempotency_key", key), ("garment", "hoodie:navy"), ("garment", "tshirt:purple")]
                let answer = try await browser.post("/ui/library/\(design)/products", form: form)
                #expect(answer.status == 200)
                #expect(answer.text.contains("1 created, 1 refused."))
                #expect(answer.text.contains("Navy hoodie</a>: created"))
                #expect(answer.text.contains("Purple tshirt: refused"))
                let again = try await browser.post("/ui/library/\(design)/products", form: form)
                #expect(again.status == 200)
                #expect(again.text.contains("already sent"))
                #expect(try await fixture.count("SELECT count(*)::int FROM products WHERE owner_id = \(owner.id)") == 2)

                let none = try await browser.post("/ui/library/\(design)/products", form: [("csrf_token", csrf), ("idempotency_key", key + "x")])
                #expect(none.status == 400)
                #expect(none.text.contains("Tick 1 to"))
            }
        }
    }
}
