/// The CUR 2.0 `resource_tags` column: a flat JSON object of strings,
/// `{"user:team":"search"}`, read in one loop (no nesting to recurse into).
enum CURTags {
    /// The value of tag `name` (or `user:NAME`), nil when absent or the text is not such an object.
    static func value(of name: String, in text: String) -> String? {
        guard let pairs = pairs(text) else { return nil }
        return pairs.first { $0.key == name }?.value ?? pairs.first { $0.key == "user:" + name }?.value
    }

    static func pairs(_ text: String) -> [(key: String, value: String)]? {
        var scalars = text.unicodeScalars.makeIterator()
        var strings: [String] = []
        var expectingString = false
        var sawOpen = false
        while let c = scalars.next() {
            switch c {
            case " ", "\t", "\n", "\r": continue
            case "{" where !sawOpen: sawOpen = true; expectingString = true
            case "}" where sawOpen: return strings.count % 2 == 0 ? stride(from: 0, to: strings.count, by: 2).map { (strings[$0], strings[$0 + 1]) } : nil
            case ":", ",": guard sawOpen, !expectingString else { return nil }; expectingString = true
            case "\"":
                guard sawOpen, expectingString, let string = readString(&scalars) else { return nil }
                strings.append(string)
                expectingString = false
            default: return nil
            }
        }
        return nil
    }

    /// A JSON string's body after its opening quote; the escapes of one character only.
    static func readString(_ scalars: inout String.UnicodeScalarView.Iterator) -> String? {
        var out = String.UnicodeScalarView()
        while let c = scalars.next() {
            switch c {
            case "\"": return String(out)
            case "\\":
                guard let e = scalars.next() else { return nil }
                switch e {
                case "\"", "\\", "/": out.append(e)
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: return nil
                }
            default: out.append(c)
            }
        }
        return nil
    }
}
