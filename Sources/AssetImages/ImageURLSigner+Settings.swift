public import Settings

extension ImageURLSigner {
    /// The signer the image URL settings describe (flags win over the environment and the
    /// file), validated: a secret or previous secret shorter than ``minimumSecretLength``, a
    /// lifetime outside 60 s…1 year or a base URL that is not an http(s) origin stops the
    /// daemon naming the setting. `ephemeral` is true when no secret is set: the signer then
    /// has a random one of its own, and the daemon says so at boot.
    public static func resolve(
        secret secretFlag: String?, previousSecret previousFlag: String?, ttl ttlFlag: String?, baseURL baseURLFlag: String?,
        in source: SettingsSource
    ) throws -> (signer: ImageURLSigner, ephemeral: Bool) {
        let ttl = try Setting.imageURLTTL.number(flag: ttlFlag, in: source, range: 60...31_536_000)
        let baseURL = Setting.publicBaseURL.raw(flag: baseURLFlag, in: source) ?? ""
        guard baseURL.isEmpty || ((baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) && !baseURL.contains("?")) else {
            throw Setting.publicBaseURL.error("must be an http:// or https:// origin such as https://api.example.com")
        }
        guard let secret = Setting.imageURLSecret.raw(flag: secretFlag, in: source), !secret.isEmpty else {
            return (.ephemeral(lifetimeSeconds: ttl, baseURL: baseURL), true)
        }
        let previous = Setting.imageURLPreviousSecret.raw(flag: previousFlag, in: source).flatMap { $0.isEmpty ? nil : $0 }
        guard secret.count >= minimumSecretLength else {
            throw Setting.imageURLSecret.error("must be at least \(minimumSecretLength) characters long")
        }
        guard (previous?.count ?? minimumSecretLength) >= minimumSecretLength else {
            throw Setting.imageURLPreviousSecret.error("must be at least \(minimumSecretLength) characters long")
        }
        return (ImageURLSigner(secret: secret, previousSecret: previous, lifetimeSeconds: ttl, baseURL: baseURL), false)
    }
}
