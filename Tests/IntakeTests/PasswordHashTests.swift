import Accounts
import Testing

/// The stored form of a password: scrypt, self-describing, salted, compared in constant time.
@Suite struct PasswordHashTests {
    @Test func aHashVerifiesItsPasswordOnlyAndSurvivesItsTextForm() throws {
        let hash = try PasswordHash.make(password: "correct horse", logN: 10)
        let stored = hash.encoded
        #expect(stored.hasPrefix("scrypt$10$8$1$"))
        let parsed = try #require(PasswordHash(encoded: stored))
        #expect(try parsed.verify("correct horse"))
        #expect(try !parsed.verify("correct horse "))
        #expect(try !parsed.verify(""))
        #expect(!stored.contains("correct"))
    }

    @Test func theSamePasswordGetsADifferentSaltEachTime() throws {
        let first = try PasswordHash.make(password: "same", logN: 10), second = try PasswordHash.make(password: "same", logN: 10)
        #expect(first.salt != second.salt)
        #expect(first.key != second.key)
    }

    @Test func storedFormsThisCodeDidNotWriteAreRefused() {
        for text in ["", "sha256$abc", "scrypt$15$8$1$c2FsdA==$a2V5", "scrypt$99$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + String(repeating: "A", count: 44),
                     "scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA==$short"] {
            #expect(PasswordHash(encoded: text) == nil, "\(text)")
        }
    }
}
