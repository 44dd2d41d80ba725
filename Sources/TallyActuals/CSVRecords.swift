/// RFC 4180 records read from a stream of bytes, in chunks of any size: a
/// quoted field may hold commas, quotes (`""`) and line breaks. A field longer
/// than `maximumFieldBytes` is not kept: the record is reported as malformed
/// and the reader goes on, so memory stays bounded whatever the input.
package struct CSVRecords {
    package struct Record {
        package var fields: [String]
        /// The line the record starts on, from 1.
        package var line: Int
        /// Why the record cannot be read as it stands, if anything.
        package var problem: String?
    }

    package static let maximumFieldBytes = 1 << 16
    package static let maximumFields = 4096

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var problem: String?
    private var line = 1
    private var recordLine = 1
    /// A CR just ended a record: an LF right after it belongs to it.
    private var afterCR = false
    private var bytesInRecord = 0

    package init() {}

    /// Reads `bytes`, handing each complete record to `record`.
    package mutating func read(_ bytes: UnsafeRawBufferPointer, record: (Record) -> Void) {
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            bytesInRecord += 1
            switch state {
            case .fieldStart, .unquoted:
                switch byte {
                case UInt8(ascii: "\""):
                    if state == .fieldStart { state = .quoted } else { note("a quote inside an unquoted field"); append(byte) }
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    lineBreak(byte, record)
                default:
                    state = .unquoted
                    append(byte)
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    append(byte)
                }
            case .quoteInQuoted:
                switch byte {
                case UInt8(ascii: "\""):
                    state = .quoted
                    append(byte)
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    lineBreak(byte, record)
                default:
                    note("text after a closing quote")
                    state = .unquoted
                    append(byte)
                }
            }
        }
    }

    /// The input is over: the last record, if it did not end with a line break.
    package mutating func finish(record: (Record) -> Void) {
        if state == .quoted { note("a quoted field is not closed") }
        if state != .fieldStart || !fields.isEmpty || problem != nil { endRecord(record) }
    }

    /// A line break outside quotes ends the record.
    private mutating func lineBreak(_ byte: UInt8, _ record: (Record) -> Void) {
        endRecord(record)
        line += 1
        recordLine = line
        afterCR = byte == UInt8(ascii: "\r")
    }

    private mutating func note(_ text: String) {
        if problem == nil { problem = text }
    }

    private mutating func append(_ byte: UInt8) {
        if field.count < CSVRecords.maximumFieldBytes {
            field.append(byte)
        } else {
            note("a field longer than \(CSVRecords.maximumFieldBytes) bytes")
        }
    }

    private mutating func endField() {
        if fields.count < CSVRecords.maximumFields {
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                note("a field that is not UTF-8")
                fields.append("")
            }
        } else {
            note("more than \(CSVRecords.maximumFields) fields")
        }
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord(_ record: (Record) -> Void) {
        endField()
        // A blank line is no record.
        if !(fields.count == 1 && fields[0].isEmpty && problem == nil && bytesInRecord <= 2) {
            record(Record(fields: fields, line: recordLine, problem: problem))
        }
        fields.removeAll(keepingCapacity: true)
        problem = nil
        bytesInRecord = 0
    }
}
