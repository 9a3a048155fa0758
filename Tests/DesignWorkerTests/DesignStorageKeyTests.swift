import DesignWorker
import Foundation
import Testing

@Suite struct DesignStorageKeyTests {
    @Test func keysAreDeterministicPerJobCandidateAndVariant() throws {
        let product = UUID(uuidString: "5B1C0000-0000-4000-8000-000000000001")!
        let job = UUID(uuidString: "9F0E0000-0000-4000-8000-000000000002")!
        let key = try DesignStorageKey.make(product: product, iteration: 2, job: job, candidate: 3, variant: .backgroundRemoved)
        #expect(key.rawValue == "products/5b1c0000-0000-4000-8000-000000000001/designs/2/9f0e0000-0000-4000-8000-000000000002/3-background_removed.png")
        #expect(try DesignStorageKey.make(product: product, iteration: 2, job: job, candidate: 3, variant: .backgroundRemoved) == key)
    }
}
