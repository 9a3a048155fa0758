/// Signed image URLs (`/v1/assets/{id}/content?…&expires=…&signature=…`). The intake signs
/// and verifies them; anything that hands out image URLs (webhook payloads) signs with the
/// same secret, so ops set these once in `/etc/itp/itp.env`.
extension Setting {
    public static let imageURLSecret = Setting(
        "ITP_IMAGE_URL_SECRET", flag: "image-url-secret",
        help: "Secret (at least 32 characters) that signs image URLs public pages can embed. Unset: a random secret per process, so URLs work only on the process that made them, until it restarts. Prefer the environment or the file over the flag.")
    public static let imageURLPreviousSecret = Setting(
        "ITP_IMAGE_URL_SECRET_PREVIOUS", flag: "image-url-secret-previous",
        help: "The secret before the last rotation: URLs it signed keep verifying until they expire. To rotate, move the current secret here and set a new ITP_IMAGE_URL_SECRET; remove this once ITP_IMAGE_URL_TTL_SECONDS (plus an hour) has passed.")
    public static let imageURLTTL = Setting(
        "ITP_IMAGE_URL_TTL_SECONDS", flag: "image-url-ttl-seconds",
        help: "How long a signed image URL stays valid, in seconds (60 to 31536000; rounded up to the next whole hour).",
        default: "604800")
    public static let publicBaseURL = Setting(
        "ITP_PUBLIC_BASE_URL", flag: "public-base-url",
        help: "The API's public origin (https://api.example.com) that signed image URLs start with. Unset: URLs are paths relative to the API's origin.")
}
