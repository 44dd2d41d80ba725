/// Path arithmetic on plain strings. (Foundation's NSString path methods trap
/// on some one-character paths on Linux, and paths here come from users.)
public enum Path {
    /// Everything before the last `/`: `a/b.tally` → `a`, `/b` → `/`, `b` → ``.
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// What follows the last `/`: `a/b.tally` → `b.tally`.
    public static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }
}
