import DesignProviders
import Foundation
import Imaging
import JobRuntime
import PNG
import Synchronization

/// The built-in art on a flat opaque background (as most image APIs return), so that
/// background removal has something to remove; records every request it gets.
final class RecordingProvider: ImageProvider {
    let name = "test-art"
    let model = "art-generator-v1"
    private let base = BuiltinProvider(background: .flat)
    private let requests = Mutex<[ImageRequest]>([])
    /// Calls (by 0-based call number) that fail with this error instead.
    private let failures: [Int: ProviderError]

    init(failing failures: [Int: ProviderError] = [:]) {
        self.failures = failures
    }

    var received: [ImageRequest] { requests.withLock { $0 } }

    func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        let call = requests.withLock { requests -> Int in
            requests.append(request)
            return requests.count - 1
        }
        if let failure = failures[call] { throw failure }
        var image = try await base.generate(request)
        image.costUnits = 1
        return image
    }
}

/// Returns the same bytes for every request: for untrusted-input tests.
struct FixedBytesProvider: ImageProvider {
    let name = "test-fixed"
    let model = "fixed"
    let bytes: [UInt8]

    func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        GeneratedImage(png: bytes, costUnits: 1)
    }

    /// A real, valid PNG of `width × height` opaque pixels (cheap for long thin sizes).
    static func png(width: Int, height: Int) throws -> [UInt8] {
        let pixels = [UInt8](repeating: 200, count: width * height * 3)
        return try PNGEncoder.encode(Image(width: width, height: height, format: .rgb8, pixels: pixels), options: EncodingOptions(compressionLevel: 1))
    }
}

/// Cancels the task that calls it, the first time: what a hard shutdown does to a job in
/// flight. Records every call.
final class CancellingProvider: ImageProvider {
    let name = "test-cancelling"
    let model = "art-generator-v1"
    private let base = BuiltinProvider(background: .flat)
    private let calls = Mutex(0)

    var callCount: Int { calls.withLock { $0 } }

    func generate(_ request: ImageRequest) async throws -> GeneratedImage {
        let call = calls.withLock { calls -> Int in
            calls += 1
            return calls
        }
        if call == 1 { withUnsafeCurrentTask { $0?.cancel() } }
        var image = try await base.generate(request)
        image.costUnits = 1
        return image
    }
}
