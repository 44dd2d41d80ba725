// Tally for VS Code: the grammar highlights .tally files; this starts the
// language server, `tally lsp`, for them (the executable is the setting
// `tally.path`, `tally` on PATH by default).
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const command = vscode.workspace.getConfiguration('tally').get('path', 'tally');
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = { documentSelector: [{ language: 'tally' }] };
  client = new LanguageClient('tally', 'Tally', serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `Tally: could not start \`${command} lsp\` (${error.message}). Set tally.path to the tally executable.`
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
