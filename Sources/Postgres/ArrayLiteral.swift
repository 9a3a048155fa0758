/// The text form of one-dimensional arrays: `{a,"b c",NULL}`.
enum ArrayLiteral {
    /// Quotes every element so that no content (commas, braces, the word NULL) can be
    /// mistaken for structure; `nil` becomes an unquoted NULL.
    static func format(_ elements: [String?]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            guard let element else { text += "NULL"; continue }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    static func parse(_ text: String) throws -> [String?] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "{", scalars.last == "}" else {
            // "[0:1]={…}" (non-default bounds) also lands here.
            throw PostgresDecodingFailure("value is not a one-dimensional array")
        }
        var elements: [String?] = []
        var index = 1
        let end = scalars.count - 1
        if index == end { return [] }
        while true {
            var element = String.UnicodeScalarView()
            var quoted = false
            if scalars[index] == "\"" {
                quoted = true
                index += 1
                while index < end, scalars[index] != "\"" {
                    if scalars[index] == "\\" { index += 1 }
                    guard index < end else { break }
                    element.append(scalars[index])
                    index += 1
                }
                guard index < end else { throw PostgresDecodingFailure("array has an unterminated quote") }
                index += 1  // closing quote
            } else {
                while index < end, scalars[index] != "," {
                    if scalars[index] == "{" {
                        throw PostgresDecodingFailure("multidimensional arrays are not supported")
                    }
                    if scalars[index] == "\\" { index += 1; guard index < end else { break } }
                    element.append(scalars[index])
                    index += 1
                }
            }
            let value = String(element)
            elements.append(!quoted && value == "NULL" ? nil : value)
            if index == end { return elements }
            guard scalars[index] == "," else { throw PostgresDecodingFailure("array literal is malformed") }
            index += 1
        }
    }
}
