import CLineEditor
#if canImport(Glibc)
import Glibc
#endif
import TallyKit
import TallyLanguage
import TallyPricing
import TallyQuantities
import TallyRender
import TallySyntax

/// libedit, wrapped: emacs keys by default, vi mode and bindings from
/// `~/.editrc`, Ctrl-R reverse search, Tab completion, resize handling.
/// libedit's C callbacks find this object through the editor's client-data
/// pointer, so there is no global state.
final class LineEditor {
    private let editor: OpaquePointer
    private let history: OpaquePointer
    /// The prompt libedit draws, kept alive as a C string.
    private var promptBuffer: UnsafeMutablePointer<CChar>
    /// Completion answers for the text before the cursor.
    var completer: ((_ line: String, _ cursor: Int) -> Completion)?
    /// True when the last line ended with Ctrl-C.
    private(set) var interrupted = false

    init?(programName: String, historyLimit: Int) {
        guard tally_editline_load() != 0,
              let editor = tally_el_init(programName, tally_stdin(), tally_stdout(), tally_stderr()) else { return nil }
        guard let history = tally_history_init() else {
            tally_el_end(editor)
            return nil
        }
        self.editor = editor
        self.history = history
        self.promptBuffer = strdup("") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        tally_history_set_size(history, Int32(historyLimit))
        tally_history_set_unique(history, 1)
        tally_el_set_history(editor, history)
        tally_el_set_editor(editor, "emacs")
        tally_el_set_signal(editor, 1)
        tally_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        tally_el_set_prompt(editor) { e in
            guard let e, let data = tally_el_get_clientdata(e) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        tally_el_add_function(editor, "tally-complete", "Complete the word before the cursor") { e, _ in
            guard let e, let data = tally_el_get_clientdata(e) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        tally_el_add_function(editor, "tally-interrupt", "Drop the line, and any unfinished input") { e, _ in
            guard let e, let data = tally_el_get_clientdata(e) else { return UInt8(CC_ERROR) }
            Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().interrupted = true
            fputs("^C", tally_stdout())
            // el_gets reports an empty buffer as end of input; the line is dropped anyway.
            tally_el_insertstr(e, "\n")
            return UInt8(CC_NEWLINE)
        }
        tally_el_add_function(editor, "tally-suspend", "Suspend tally (Ctrl-Z)") { _, _ in
            kill(getpid(), SIGTSTP)
            return UInt8(CC_REDISPLAY)
        }
        tally_el_keep_interrupt_key(editor)
        tally_el_bind(editor, "^I", "tally-complete")
        tally_el_bind(editor, "^C", "tally-interrupt")
        tally_el_bind(editor, "^Z", "tally-suspend")
        tally_el_bind(editor, "^R", "em-inc-search-prev")
        // ~/.editrc (or $EDITRC) last, so a user's bindings and `bind -v` win.
        tally_el_source(editor, nil)
    }

    deinit {
        tally_el_end(editor)
        tally_history_end(history)
        free(promptBuffer)
    }

    /// Adds an entry to the in-memory history, for the Up key and Ctrl-R.
    func remember(_ entry: String) {
        tally_history_enter(history, entry)
    }

    /// Reads a line; nil at end of input (Ctrl-D on an empty line).
    func readLine(prompt: String) -> String? {
        free(promptBuffer)
        promptBuffer = strdup(prompt) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        interrupted = false
        var count: Int32 = 0
        guard let raw = tally_el_gets(editor, &count) else { return nil }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        if interrupted { fputs("\n", tally_stdout()); fflush(tally_stdout()) }
        return line
    }

    private func complete() -> UInt8 {
        guard let info = tally_el_line(editor)?.pointee, let completer else { return UInt8(CC_ERROR) }
        let length = info.cursor - info.buffer
        let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: max(0, length)), as: UTF8.self)
        let completion = completer(before, before.count)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = String(before.suffix(completion.replacing))
        if let only = completion.preferred ?? (completion.candidates.count == 1 ? completion.candidates.first : nil) {
            let rest = String(only.dropFirst(typed.count)) + (only.hasSuffix("/") ? "" : " ")
            tally_el_insertstr(editor, rest)
            return UInt8(CC_REFRESH)
        }
        let common = completion.commonPrefix
        if common.count > typed.count {
            tally_el_insertstr(editor, String(common.dropFirst(typed.count)))
            return UInt8(CC_REFRESH)
        }
        // Nothing more to add: list the choices under the line, in columns.
        let width = (completion.candidates.map(\.count).max() ?? 0) + 2
        let columns = max(1, 80 / max(1, width))
        var listing = "\n"
        for (index, candidate) in completion.candidates.enumerated() {
            listing += candidate + String(repeating: " ", count: max(0, width - candidate.count))
            if index % columns == columns - 1 { listing += "\n" }
        }
        if !listing.hasSuffix("\n") { listing += "\n" }
        fputs(listing, tally_stdout())
        fflush(tally_stdout())
        return UInt8(CC_REDISPLAY)
    }
}
