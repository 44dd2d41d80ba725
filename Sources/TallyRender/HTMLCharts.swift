import TallyQuantities

/// Charts as SVG, drawn by Tally: bars, a stacked bar, bar pairs and a line.
/// Each names its figures in text on the chart (and the page repeats them in
/// a table), and series differ by pattern as well as colour.
package enum HTMLChart {
    /// One figure: what it is, its value for scale, and its text as shown.
    package struct Item {
        package let label: String
        package let value: Rational
        package let text: String

        package init(_ label: String, _ value: Rational, _ text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    static let width = 720
    static let labelWidth = 210
    static let valueWidth = 130
    static var plot: Int { width - labelWidth - valueWidth }

    /// Fills that differ without colour: solid, hatched, dotted, crossed, striped.
    static func patterns(_ id: String, count: Int) -> String {
        var out = "<defs>"
        for i in 0..<count {
            let shape: String
            switch i % 6 {
            case 0: shape = "<rect width=\"8\" height=\"8\" class=\"bar\"/>"
            case 1: shape = "<rect width=\"8\" height=\"8\" class=\"bar2\"/><path d=\"M0 8L8 0\" stroke=\"currentColor\" stroke-width=\"1.5\"/>"
            case 2: shape = "<rect width=\"8\" height=\"8\" class=\"bar\" opacity=\".55\"/><circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"currentColor\"/>"
            case 3: shape = "<rect width=\"8\" height=\"8\" class=\"bar2\" opacity=\".6\"/><path d=\"M0 0L8 8M8 0L0 8\" stroke=\"currentColor\" stroke-width=\"1\"/>"
            case 4: shape = "<rect width=\"8\" height=\"8\" class=\"bar\" opacity=\".35\"/><path d=\"M0 4H8\" stroke=\"currentColor\" stroke-width=\"1.5\"/>"
            default: shape = "<rect width=\"8\" height=\"8\" class=\"bar2\" opacity=\".35\"/><path d=\"M4 0V8\" stroke=\"currentColor\" stroke-width=\"1.5\"/>"
            }
            out += "<pattern id=\"\(id)-p\(i)\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">\(shape)</pattern>"
        }
        return out + "</defs>"
    }

    static func open(_ height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(HTML.escape(title))\"><title>\(HTML.escape(title))</title>"
    }

    static func largest(_ items: [Item]) -> Rational {
        items.map(\.value).max().map { $0 > .zero ? $0 : .one } ?? .one
    }

    /// Horizontal bars, one a row, in the order given, each with its value.
    package static func bars(_ items: [Item], title: String) -> String {
        let row = 26
        let height = items.count * row + 8
        let top = largest(items)
        var out = open(height, title: title)
        for (i, item) in items.enumerated() {
            let y = i * row + 4
            let w = HTML.px(item.value.divided(by: top) ?? .zero, of: plot)
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\">\(HTML.escape(clip(item.label)))</text>"
            out += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(w)\" height=\"18\"><title>\(HTML.escape(item.label + ": " + item.text))</title></rect>"
            out += "<text x=\"\(labelWidth + plot + 8)\" y=\"\(y + 17)\">\(HTML.escape(item.text))</text>"
        }
        return out + "</svg>\n"
    }

    /// One bar made of the items' shares, and a legend naming each with its pattern and value.
    package static func stacked(_ items: [Item], title: String, id: String) -> String {
        let shown = items.filter { $0.value > .zero }
        let legendRows = shown.count
        let height = 46 + legendRows * 22
        guard let total = Rational.sum(shown.map(\.value)), total > .zero else { return "" }
        var out = open(height, title: title) + patterns(id, count: shown.count)
        var x = Rational.zero
        for (i, item) in shown.enumerated() {
            let share = item.value.divided(by: total) ?? .zero
            let start = HTML.px(x, of: width - 20)
            out += "<rect x=\"\(start)\" y=\"6\" width=\"\(HTML.px(share, of: width - 20))\" height=\"26\" fill=\"url(#\(id)-p\(i))\" stroke=\"var(--bg)\" stroke-width=\"1\"><title>\(HTML.escape(item.label + ": " + item.text))</title></rect>"
            x = x.adding(share) ?? x
        }
        for (i, item) in shown.enumerated() {
            let y = 46 + i * 22
            out += "<rect x=\"0\" y=\"\(y)\" width=\"16\" height=\"14\" fill=\"url(#\(id)-p\(i))\" stroke=\"currentColor\" stroke-width=\".5\"/>"
            out += "<text x=\"24\" y=\"\(y + 12)\">\(HTML.escape(item.label)) — \(HTML.escape(item.text))</text>"
        }
        return out + "</svg>\n"
    }

    /// Two bars a row (before and after, planned and actual), told apart by pattern and a legend.
    package static func pairs(_ rows: [(label: String, first: Item, second: Item)], names: (String, String), title: String, id: String) -> String {
        // A wider column for the values, which may carry a ratio and a reason.
        let plot = width - labelWidth - 250
        let row = 44
        let height = rows.count * row + 30
        let top = largest(rows.flatMap { [$0.first, $0.second] })
        var out = open(height, title: title) + patterns(id, count: 2)
        for (i, r) in rows.enumerated() {
            let y = i * row + 4
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 24)\" text-anchor=\"end\">\(HTML.escape(clip(r.label)))</text>"
            for (j, item) in [r.first, r.second].enumerated() {
                let w = HTML.px(item.value.divided(by: top) ?? .zero, of: plot)
                out += "<rect x=\"\(labelWidth)\" y=\"\(y + 4 + j * 19)\" width=\"\(w)\" height=\"16\" fill=\"url(#\(id)-p\(j))\"><title>\(HTML.escape(r.label + ", " + (j == 0 ? names.0 : names.1) + ": " + item.text))</title></rect>"
                out += "<text x=\"\(labelWidth + plot + 8)\" y=\"\(y + 16 + j * 19)\">\(HTML.escape(item.text))</text>"
            }
        }
        let legend = rows.count * row + 10
        for (j, name) in [names.0, names.1].enumerated() {
            out += "<rect x=\"\(labelWidth + j * 160)\" y=\"\(legend)\" width=\"16\" height=\"12\" fill=\"url(#\(id)-p\(j))\" stroke=\"currentColor\" stroke-width=\".5\"/>"
            out += "<text x=\"\(labelWidth + j * 160 + 22)\" y=\"\(legend + 11)\">\(HTML.escape(name))</text>"
        }
        return out + "</svg>\n"
    }

    /// A line through the items in order (a forecast's months), each point
    /// with its value as a tooltip, the first, the last and the highest labelled.
    package static func line(_ items: [Item], title: String) -> String {
        guard !items.isEmpty else { return "" }
        let height = 260
        let left = 44, right = width - 140, top = 24, bottom = height - 34
        let high = largest(items)
        var points: [(String, String)] = []
        for (i, item) in items.enumerated() {
            let x = items.count == 1 ? Rational(left) : Rational(left).adding(Rational(right - left).multiplied(by: Rational(i))?.divided(by: Rational(items.count - 1)) ?? .zero) ?? .zero
            let share = item.value.divided(by: high) ?? .zero
            let y = HTML.px(Rational.one.subtracting(share) ?? .zero, of: bottom - top)
            let xText = HTML.px(x.divided(by: Rational(width)) ?? .zero, of: width)
            points.append((xText, "\(y)"))
        }
        var out = open(height, title: title)
        out += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\"/>"
        out += "<g transform=\"translate(0 \(top))\"><polyline class=\"line\" points=\"" + points.map { "\($0.0),\($0.1)" }.joined(separator: " ") + "\"/>"
        let highest = items.indices.max { items[$0].value < items[$1].value } ?? 0
        for (i, item) in items.enumerated() {
            out += "<circle cx=\"\(points[i].0)\" cy=\"\(points[i].1)\" r=\"3\" class=\"bar\"><title>\(HTML.escape(item.label + ": " + item.text))</title></circle>"
            if i == 0 || i == items.count - 1 || i == highest {
                out += "<text x=\"\(points[i].0)\" y=\"\(points[i].1)\" dx=\"6\" dy=\"-6\">\(HTML.escape(item.text))</text>"
            }
        }
        out += "</g>"
        let step = max(1, (items.count + 11) / 12)
        for i in stride(from: 0, to: items.count, by: step) {
            out += "<text x=\"\(points[i].0)\" y=\"\(bottom + 18)\" text-anchor=\"middle\">\(HTML.escape(items[i].label))</text>"
        }
        return out + "</svg>\n"
    }

    /// Labels longer than a bar's margin are cut with `…` (the table has them whole).
    static func clip(_ label: String) -> String {
        label.count <= 30 ? label : String(label.prefix(29)) + "…"
    }
}
