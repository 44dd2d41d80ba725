import Foundation
import Testing
@testable import TallyKit

/// A real editor: Neovim (Debian's package, headless) opens a script with
/// its built-in LSP client started on `tally lsp`, and reads back through
/// its Lua API the diagnostics the server published and a hover.
/// Scripts/test installs Neovim and sets TALLY_NEOVIM_REQUIRED, so there a
/// missing `nvim` fails; elsewhere the test says it did not run.
@Suite struct NeovimTests {
    static let script = """
        local out = {}
        local buf = vim.api.nvim_get_current_buf()
        local id = vim.lsp.start_client({ name = 'tally', cmd = { os.getenv('TALLY_BIN'), 'lsp' },
                                          root_dir = vim.fn.expand('%:p:h') })
        vim.lsp.buf_attach_client(buf, id)
        local published = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
        table.insert(out, 'published ' .. tostring(published))
        for _, d in ipairs(vim.diagnostic.get(buf)) do
          table.insert(out, string.format('diagnostic %d:%d %d %s', d.lnum, d.col, d.severity, (d.message:gsub('\\n.*', ''))))
        end
        local position = { line = tonumber(os.getenv('TALLY_LINE')), character = tonumber(os.getenv('TALLY_CHARACTER')) }
        local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }
        local replies = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000) or {}
        for _, reply in pairs(replies) do
          if reply.result then
            local first = reply.result.contents.value:gsub('\\n.*', '')
            table.insert(out, 'hover ' .. first)
          end
        end
        vim.fn.writefile(out, os.getenv('TALLY_OUT'))
        vim.lsp.stop_client(id)
        vim.cmd('qa!')
        """

    static func nvim() -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/nvim"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    @Test func neovimShowsTheServersDiagnosticsAndHover() throws {
        guard let nvim = Self.nvim() else {
            #expect(ProcessInfo.processInfo.environment["TALLY_NEOVIM_REQUIRED"] == nil, "nvim is not on PATH")
            return
        }
        let directory = try scratchDirectory("neovim")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Examples/support.tally with the peak misspelt where the chat workload uses it.
        let example = Repository.read(Repository.root + "/Examples/support.tally")
        let broken = example.replacingOccurrences(of: "  requests peak\n", with: "  requests peek\n")
        #expect(broken != example)
        let plan = directory + "/support.tally"
        try broken.write(toFile: plan, atomically: true, encoding: .utf8)
        try Self.script.write(toFile: directory + "/session.lua", atomically: true, encoding: .utf8)
        let out = directory + "/out.txt"
        // Hover on the model the broken workload names.
        let lines = broken.components(separatedBy: "\n")
        let model = try #require(lines.firstIndex(of: "  model sonnet-4.5"))
        let run = try runProgram(nvim, ["--headless", "--clean", "-n", plan, "-c", "luafile \(directory)/session.lua"],
                                 environment: ["TALLY_BIN": TallyBinary.binary, "TALLY_OUT": out, "HOME": directory,
                                               "XDG_STATE_HOME": directory, "XDG_DATA_HOME": directory,
                                               "TALLY_LINE": String(model), "TALLY_CHARACTER": "10"])
        #expect(run.status == 0, "\(run.stderr)")
        let read = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let peek = try #require(lines.firstIndex(of: "  requests peek"))
        #expect(read.contains("published true"), "\(read)")
        #expect(read.contains("diagnostic \(peek):11 1 unknown name `peek`"), "\(read)")
        #expect(read.contains("hover **sonnet-4.5**: Claude Sonnet 4.5 — input $3.00/1M tokens · output $15.00/1M tokens"), "\(read)")
    }
}
