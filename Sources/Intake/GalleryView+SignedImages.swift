import AssetImages
import Foundation

extension GalleryView {
    /// The view with signed, expiring image URLs on every ready slot and every fallback, so a
    /// storefront can embed the gallery on a public page.
    func signed(with signer: ImageURLSigner, now: Date = Date()) -> GalleryView {
        var view = self
        for index in view.slots.indices {
            if let asset = view.slots[index].assetID {
                view.slots[index].images = SignedImageSet(asset, signer: signer, now: now)
            }
            if let shown = view.slots[index].fallback?.assetID {
                view.slots[index].fallback?.images = SignedImageSet(shown, signer: signer, now: now)
            }
        }
        return view
    }
}
