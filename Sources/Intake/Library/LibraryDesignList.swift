import Foundation

/// `GET /v1/library/designs`: the shop's designs, newest first.
struct LibraryDesignList: Encodable, Sendable {
    var designs: [LibraryDesignView]
}
