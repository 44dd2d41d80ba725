import TallyQuantities

/// A problem found in the input, with the place it is about.
package struct Diagnostic: Error, Sendable {
    package enum Severity: String, Sendable { case error, warning, note }

    /// The stage that found the problem.
    package enum Kind: String, Sendable {
        case lexical, syntax, name, dimension, runtime, pricing, io
    }

    package struct Label: Sendable {
        package let span: Span
        package let message: String

        package init(span: Span, message: String) {
            self.span = span
            self.message = Diagnostic.shortened(message)
        }
    }

    /// Diagnostics past the cap, counted instead of kept.
    package struct Omitted: Sendable {
        package var errors = 0
        package var others = 0
        package var total: Int { errors + others }
    }

    /// At most this many diagnostics are kept for one file run (its imports
    /// included); the rest are only counted, so junk input costs bounded
    /// memory and output.
    package static let maximumPerFile = 100

    /// Messages and hints longer than this many characters keep their start
    /// and end: they may quote source text of any length.
    static let maximumMessageLength = 300

    package var severity: Severity
    package var kind: Kind
    /// What went wrong; for the line that stands for the diagnostics past the
    /// cap, how many there were.
    package var message: String {
        get { omitted.map(Diagnostic.summary) ?? text }
        set { text = Diagnostic.shortened(newValue) }
    }
    private var text: String
    package var span: Span?
    /// Extra places to underline, each with a short note.
    package var labels: [Label]
    package var hints: [String]
    /// A consequence of an error already reported (a use of a name whose
    /// declaration failed): not shown again.
    package var isFollowOn = false
    /// Set on the one diagnostic that stands for all those past the cap.
    package private(set) var omitted: Omitted?

    package init(_ kind: Kind, _ message: String, at span: Span?, labels: [Label] = [], hints: [String] = [], severity: Severity = .error) {
        self.kind = kind
        self.text = Diagnostic.shortened(message)
        self.span = span
        self.labels = labels
        self.hints = hints.map(Diagnostic.shortened)
        self.severity = severity
    }

    package static func followOn(at span: Span) -> Diagnostic {
        var d = Diagnostic(.name, "", at: span)
        d.isFollowOn = true
        return d
    }

    package func hint(_ text: String?) -> Diagnostic {
        guard let text else { return self }
        var copy = self
        copy.hints.append(Diagnostic.shortened(text))
        return copy
    }

    /// `text`, or its start and end around `…` when it is too long to read.
    static func shortened(_ text: String) -> String {
        let limit = maximumMessageLength
        guard text.utf8.count > limit else { return text }
        var head = text.startIndex
        var tail = text.endIndex
        // Whole characters, and never more than `limit` scalars either side.
        var kept = 0
        while head < text.endIndex, kept < limit * 3 / 4 {
            text.formIndex(after: &head)
            kept += 1
        }
        kept = 0
        while tail > head, kept < limit / 4 {
            text.formIndex(before: &tail)
            kept += 1
        }
        guard tail > head else { return text }
        return String(text[..<head].unicodeScalars.prefix(limit)) + "…"
            + String(text[tail...].unicodeScalars.suffix(limit))
    }

    static func summary(_ omitted: Omitted) -> String {
        var parts: [String] = []
        if omitted.errors > 0 { parts.append(counted(omitted.errors, "more error")) }
        if omitted.others > 0 { parts.append(counted(omitted.others, "more warning")) }
        return parts.joined(separator: " and ") + " not shown (at most \(maximumPerFile) are reported per file)"
    }

    package static func counted(_ n: Int, _ noun: String) -> String {
        "\(Format.count(Rational(n))) \(noun)\(n == 1 ? "" : "s")"
    }

    /// Counts `other` into this summary.
    mutating func absorb(_ other: Diagnostic) {
        if let more = other.omitted {
            absorb(errors: more.errors, others: more.others)
        } else {
            absorb(errors: other.severity == .error ? 1 : 0, others: other.severity == .error ? 0 : 1)
        }
    }

    mutating func absorb(errors: Int, others: Int) {
        var counts = omitted ?? Omitted()
        counts.errors += errors
        counts.others += others
        omitted = counts
        if counts.errors > 0 { severity = .error }
    }

    /// A summary that stands for `first` and whatever is absorbed after it.
    static func summary(startingWith first: Diagnostic) -> Diagnostic {
        var d = Diagnostic(first.kind, "", at: first.span, severity: .warning)
        d.absorb(first)
        return d
    }

    /// At most `maximumPerFile` of `list`, in its order, and then one summary
    /// of the rest (summaries in `list` included).
    package static func bounded(_ list: [Diagnostic]) -> [Diagnostic] {
        var kept: [Diagnostic] = []
        kept.appendBounded(contentsOf: list)
        return kept
    }
}

extension Array where Element == Diagnostic {
    /// Appends `d` while fewer than `Diagnostic.maximumPerFile` are kept;
    /// past that, a summary at the end counts it and everything after.
    package mutating func appendBounded(_ d: Diagnostic) {
        if let last, last.omitted != nil {
            self[count - 1].absorb(d)
        } else if d.omitted == nil, count < Diagnostic.maximumPerFile {
            append(d)
        } else {
            append(Diagnostic.summary(startingWith: d))
        }
    }

    /// Counts one more error when past the cap, without building it: true
    /// when counted, false when there is room for it.
    mutating func countedPastCap() -> Bool {
        guard let last, last.omitted != nil else { return false }
        self[count - 1].absorb(errors: 1, others: 0)
        return true
    }

    package mutating func appendBounded(contentsOf list: [Diagnostic]) {
        for d in list where d.omitted == nil { appendBounded(d) }
        for d in list where d.omitted != nil { appendBounded(d) }
    }

    /// How many diagnostics were reported, counted ones included.
    package var reportedCount: Int {
        (last?.omitted).map { count - 1 + $0.total } ?? count
    }
}

/// Several diagnostics, thrown or returned together.
package struct Diagnostics: Error, Sendable {
    package var all: [Diagnostic]

    package init(_ all: [Diagnostic]) {
        self.all = all
    }
}
