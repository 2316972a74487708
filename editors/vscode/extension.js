// Starts `regimen lsp` for .regimen files. Plain JavaScript: no build step, only
// `npm install` for vscode-languageclient.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("regimen").get("server.command") || "regimen";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient("regimen", "Regimen", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "regimen" }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
