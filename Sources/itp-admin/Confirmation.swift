import Foundation

/// Asks on stderr and reads one line from stdin; only `y` or `yes` confirms. End of input
/// (a script without `--yes`) is a no.
enum Confirmation {
    static func ask(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() else {
            FileHandle.standardError.write(Data("\n".utf8))
            return false
        }
        return answer == "y" || answer == "yes"
    }
}
