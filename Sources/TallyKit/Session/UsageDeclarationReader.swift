import TallyQuantities
import TallySyntax
import TallyPricing
import TallyActuals
import TallyLanguage

extension Session {
    /// Reads what a `usage` declaration names: its logs, relative to the
    /// script and inside `root` like an import, priced with the script's catalog.
    static func readUsage(_ query: UsageQuery, from span: Span, root: String) throws(Diagnostic) -> Breakdown {
        let base = directory(of: span.file.name)
        var paths: [String] = []
        for (path, pathSpan) in query.logs {
            let outside = Diagnostic(.io, "cannot read logs \"\(path)\": it is outside the script's directory", at: pathSpan,
                                     hints: ["logs a script reads stay inside the directory of the script Tally was asked to run"])
            // By its text first, so whether something exists out there is never told.
            if leavesByText(path, base: base, root: root) { throw outside }
            guard let real = FileSystem.realPath(Path.resolved(path, against: base)) else {
                throw Diagnostic(.io, "cannot read logs \"\(path)\": nothing is there", at: pathSpan)
            }
            // Then by where it really leads (a symbolic link).
            guard Path.isInside(real, root) else { throw outside }
            paths.append(real)
        }
        var options = UsageOptions()
        options.filter = query.filter
        options.model = query.model
        options.region = query.region
        options.from = query.from.flatMap { Commands.time($0, endOfDay: false) }
        options.to = query.to.flatMap { Commands.time($0, endOfDay: true) }
        var seconds: Rational?
        if let from = options.from, let to = options.to {
            guard from < to else { throw Diagnostic(.runtime, "usage `\(query.name)`: `to` is not after `from`", at: span) }
            seconds = Rational(Int128(to.seconds) - Int128(from.seconds))
        }
        guard let catalog = query.catalog else { throw Diagnostic(.io, "`usage` has no catalog to price with", at: span) }
        let report = UsageRun.run(paths, catalog: catalog, options: options)
        if let error = report.errors.first {
            throw Diagnostic(.io, "usage `\(query.name)`: \(error)", at: span)
        }
        do {
            let period = query.from.flatMap { from in query.to.map { (from, $0) } }
            return try report.breakdown(name: query.name, region: query.region, tags: query.filter, seconds: seconds, period: period,
                                        monthSeconds: query.monthSeconds)
        } catch {
            throw Diagnostic(.runtime, "usage `\(query.name)`: \(error)", at: span)
        }
    }
}
