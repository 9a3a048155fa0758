extension ImageRequest {
    /// The prompt an HTTP API sees: the design prompt, then the shopper's feedback as a
    /// revision instruction. These APIs have no separate feedback field.
    var promptWithFeedback: String {
        guard let feedback = feedback?.trimmingASCIIWhitespace(), !feedback.isEmpty else { return prompt }
        return prompt + "\n\nRevise the design with this feedback: " + feedback
    }
}
