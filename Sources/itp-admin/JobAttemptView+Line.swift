import Operations

extension JobAttemptView {
    var line: String {
        var text = "#\(attempt) \(Timestamp.format(startedAt)) \(outcome ?? "unfinished")"
        if let worker { text += " on \(worker)" }
        if let errorClass { text += " [\(errorClass)" + (failureStage.map { " at \($0)" } ?? "") + "]" }
        if let errorMessage { text += ": \(errorMessage)" }
        return text
    }
}
