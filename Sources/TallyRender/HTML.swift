import TallyQuantities

/// Self-contained HTML reports: one file, inline CSS and SVG, no script, no
/// font, no request of any kind; readable without colour (every bar is
/// labelled and series differ by pattern), printable, and dark when the
/// reader's system is. The same input gives the same bytes.
package enum HTML {
    /// Text as HTML text or an attribute value.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in Escaping.visible(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A whole page around `body`.
    package static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tally">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <main>
        <h1>\(escape(title))</h1>
        \(body)</main>
        </body>
        </html>

        """
    }

    static let style = """
        :root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bar: #2f6fb0; --bar2: #b35c1e; --bg: #ffffff; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --line: #3d444d; --bar: #6cb6ff; --bar2: #f0a35e; --bg: #0d1117; } }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
        p.note, p.summary, ol.sources, p.assumed { color: var(--muted); font-size: .9rem; }
        table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-variant-numeric: tabular-nums; }
        th, td { padding: .25rem .7rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; white-space: nowrap; }
        tr.total td { font-weight: 600; border-top: 2px solid var(--fg); }
        svg { display: block; max-width: 100%; height: auto; margin: .6rem 0; }
        svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
        svg .bar { fill: var(--bar); } svg .bar2 { fill: var(--bar2); } svg .axis { stroke: var(--line); } svg .line { stroke: var(--bar); fill: none; stroke-width: 2; }
        .verdict-fail { font-weight: 700; } .verdict-fail::before { content: "✗ "; } .verdict-pass::before { content: "✓ "; }
        @media print { body { background: #fff; color: #000; } main { max-width: none; } h2 { break-after: avoid; } svg, table { break-inside: avoid; } }
        """

    /// A table: a header row and body rows; columns in `numeric` are right-aligned.
    /// The last row is the total when `total`.
    package static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>, total: Bool = false, caption: String? = nil) -> String {
        var out = "<table>\n"
        if let caption { out += "<caption>\(escape(caption))</caption>\n" }
        out += "<thead><tr>" + header.enumerated().map { i, h in "<th\(numeric.contains(i) ? " class=\"n\"" : "") scope=\"col\">\(escape(h))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (r, row) in rows.enumerated() {
            let isTotal = total && r == rows.count - 1
            out += "<tr\(isTotal ? " class=\"total\"" : "")>" + row.enumerated().map { i, cell in
                "<td\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// `share` of `width`, in pixels with one decimal: geometry only, never a figure shown.
    static func px(_ share: Rational, of width: Int) -> String {
        let clamped = max(.zero, min(share, .one))
        let tenths = clamped.multiplied(by: Rational(width * 10))?.rounded(fractionDigits: 0)?.numerator ?? 0
        return "\(tenths / 10).\(tenths % 10)"
    }
}
