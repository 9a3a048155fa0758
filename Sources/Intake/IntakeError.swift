/// Failures of the intake that are not the client's doing. They are logged in full and
/// answered as an opaque 500 (``ProblemMiddleware``).
struct IntakeError: Error, CustomStringConvertible {
    var description: String

    static func unexpected(_ description: String) -> IntakeError {
        IntakeError(description: description)
    }
}
