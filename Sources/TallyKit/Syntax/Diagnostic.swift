/// A problem found in the input, with the place it is about.
public struct Diagnostic: Error, Sendable {
    public enum Severity: String, Sendable { case error, warning, note }

    /// The stage that found the problem.
    public enum Kind: String, Sendable {
        case lexical, syntax, name, dimension, runtime, pricing, io
    }

    public struct Label: Sendable {
        public let span: Span
        public let message: String
    }

    public var severity: Severity
    public var kind: Kind
    public var message: String
    public var span: Span?
    /// Extra places to underline, each with a short note.
    public var labels: [Label]
    public var hints: [String]
    /// A consequence of an error already reported (a use of a name whose
    /// declaration failed): not shown again.
    public var isFollowOn = false

    public init(_ kind: Kind, _ message: String, at span: Span?, labels: [Label] = [], hints: [String] = [], severity: Severity = .error) {
        self.kind = kind
        self.message = message
        self.span = span
        self.labels = labels
        self.hints = hints
        self.severity = severity
    }

    static func followOn(at span: Span) -> Diagnostic {
        var d = Diagnostic(.name, "", at: span)
        d.isFollowOn = true
        return d
    }

    public func hint(_ text: String?) -> Diagnostic {
        guard let text else { return self }
        var copy = self
        copy.hints.append(text)
        return copy
    }
}

/// Several diagnostics, thrown or returned together.
public struct Diagnostics: Error, Sendable {
    public var all: [Diagnostic]

    public init(_ all: [Diagnostic]) {
        self.all = all
    }
}
