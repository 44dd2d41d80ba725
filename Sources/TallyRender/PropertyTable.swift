import TallyPricing
import TallyLanguage

/// The workload schema as `:help properties` text and as the README's tables.
package enum PropertyTable {
    package typealias Block = WorkloadSchema.Block

    /// Every block's properties, aligned: name, form, description.
    package static func text() -> String {
        var groups: [(Block, [(String, String, String)])] = []
        for block in Block.allCases {
            var rows = WorkloadSchema.entries(for: block).map { ($0.name, $0.form, $0.description) }
            if block == .price {
                rows += WorkloadSchema.rateGroups.map { ("rate", $0.form, "\($0.description): \($0.names.joined(separator: ", "))") }
            }
            groups.append((block, rows))
        }
        let rows = groups.flatMap(\.1)
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let formWidth = rows.map(\.1.count).max() ?? 0
        var out = ""
        for (block, rows) in groups {
            out += "\(block.rawValue):\n"
            for (name, form, description) in rows {
                out += "  " + padded(name, nameWidth) + "  " + padded(form, formWidth) + "  " + description + "\n"
            }
        }
        return out
    }

    /// A block's Markdown table. A knowledge base's and a customization's
    /// list only what a workload lacks, then name the rest.
    package static func markdown(for block: Block) -> String {
        var entries = WorkloadSchema.entries(for: block)
        var shared: [String] = []
        if block == .knowledgeBase || block == .customization {
            shared = entries.filter { $0.blocks.contains(.workload) }.map(\.name)
            entries.removeAll { $0.blocks.contains(.workload) }
        }
        var out: String
        if block == .price {
            out = "| property | meaning |\n|---|---|\n"
            for entry in entries {
                out += row([code(entry.form), entry.description])
            }
            for group in WorkloadSchema.rateGroups {
                out += row([group.names.map(code).joined(separator: ", "), "\(group.description): \(code(group.form))"])
            }
        } else {
            out = "| property | meaning | default |\n|---|---|---|\n"
            for entry in entries {
                out += row([code(entry.form), entry.description, entry.defaultValue ?? "none"])
            }
        }
        if !shared.isEmpty {
            out += "\nAnd, as in a workload: \(shared.map(code).joined(separator: ", ")).\n"
        }
        return out
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func code(_ text: String) -> String { "`\(text)`" }

    /// A table row; `|` inside a cell, code spans included, needs a backslash.
    static func row(_ cells: [String]) -> String {
        "| " + cells.map { cell in String(cell.flatMap { $0 == "|" ? ["\\", "|"] : [$0] }) }.joined(separator: " | ") + " |\n"
    }
}
