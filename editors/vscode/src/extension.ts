// Entry point: wires the server client, the status bar, the review panel, the rule documents and the commands,
// and starts the server when the first Liquibase changelog is seen (or the workspace has an lqls.toml).
import * as vscode from "vscode";
import { isChangelogLanguage, looksLikeChangelog } from "./changelogDetection";
import { COMMANDS } from "./commandIds";
import { registerCommands } from "./commands";
import { SECTION, readIncludeGlobs } from "./configuration";
import { ReviewPanel } from "./reviewPanel";
import { ReviewStore, isReviewNotification } from "./reviewState";
import { RuleDocProvider } from "./ruleDocProvider";
import { RULE_DOC_SCHEME } from "./ruleDocs";
import { ServerClient } from "./serverClient";
import { needsRestart } from "./serverSettings";
import { StatusBar } from "./statusBar";

let server: ServerClient | undefined;

/** Lines read to sniff a document: more than any changelog's license header. */
const HEAD_LINES = 2000;

/** A changelog by its content, or forced in by one of the `lqls.files.include` globs. */
function isChangelogDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== "file" || !isChangelogLanguage(document.languageId)) {
    return false;
  }
  if (readIncludeGlobs().some((pattern) => vscode.languages.match({ pattern }, document) > 0)) {
    return true;
  }
  // The head only (looksLikeChangelog reads no further): this runs on every keystroke until the server starts.
  return looksLikeChangelog(document.languageId, document.getText(new vscode.Range(0, 0, HEAD_LINES, 0)));
}

export function activate(context: vscode.ExtensionContext): void {
  const client = new ServerClient(context);
  server = client;
  const store = new ReviewStore();
  const panel = new ReviewPanel(store);
  const statusBar = new StatusBar(COMMANDS.showOutput);
  const ruleDocs = new RuleDocProvider();

  context.subscriptions.push(
    client,
    panel,
    statusBar,
    ruleDocs,
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, ruleDocs),
    ...registerCommands({ server: client, store, panel, ruleDocs }),
    client.onDidChangeState((state) => statusBar.setClientState(state)),
    client.onNotification(({ method, params }) => {
      if (method === "lqls/status") {
        statusBar.setServerStatus(params);
      } else if (method === "lqls/review" && isReviewNotification(params)) {
        store.update(params);
        // A review started elsewhere (the code action, hover's link) opens the panel too.
        if (!panel.isOpen) {
          panel.show();
        }
        panel.refresh();
      }
    }),
  );

  // The server is started automatically once; after that (a missing binary, a crash the client gave up on)
  // only the Restart Server command or a change of the lqls.server.* settings starts it, so opening files
  // does not repeat the same error.
  let autoStarted = false;
  const autoStart = (): void => {
    if (!autoStarted) {
      autoStarted = true;
      void client.start();
    }
  };
  const startIfChangelog = (document: vscode.TextDocument): void => {
    if (!autoStarted && isChangelogDocument(document)) {
      autoStart();
    }
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(startIfChangelog),
    // A new file becomes a changelog as it is typed (the header or root element written).
    vscode.workspace.onDidChangeTextDocument((event) => startIfChangelog(event.document)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        if (autoStarted || client.state !== "stopped") {
          void vscode.window.showInformationMessage("lqls: restarting the language server with the new settings.");
          await client.restart();
        }
        return;
      }
      await client.sendSettings();
    }),
  );
  vscode.workspace.textDocuments.forEach(startIfChangelog);

  // A project with an lqls.toml is a Liquibase project: start at once (the server indexes it).
  void vscode.workspace.findFiles("**/lqls.toml", "**/node_modules/**", 1).then((found) => {
    if (found.length > 0) {
      autoStart();
    }
  });
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}
