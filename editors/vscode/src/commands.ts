// The extension's own commands. Their ids differ from the server's (lqls.review, lqls.reviewFile, ...), which
// vscode-languageclient registers itself; these run the server's commands through the client.
import * as vscode from "vscode";
import { CodeActionRequest, ExecuteCommandRequest } from "vscode-languageclient/node";
import { isChangelogLanguage } from "./changelogDetection";
import { COMMANDS } from "./commandIds";
import type { ReviewPanel } from "./reviewPanel";
import { asFinishedReview, type ReviewStore } from "./reviewState";
import { REVIEW_ACTION_KIND, SERVER_REVIEW_COMMAND, findReviewTarget } from "./reviewTarget";
import type { RuleDocProvider } from "./ruleDocProvider";
import { parseRuleDoc, parseRuleList, ruleCodeOf, ruleQuickPickItems } from "./ruleDocs";
import type { ServerClient } from "./serverClient";


export interface CommandDeps {
  server: ServerClient;
  store: ReviewStore;
  panel: ReviewPanel;
  ruleDocs: RuleDocProvider;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The running client, starting the server if it was not yet (e.g. no changelog was open). */
async function runningClient(deps: CommandDeps) {
  await deps.server.start();
  const client = deps.server.languageClient;
  if (client === undefined || !deps.server.isRunning) {
    void vscode.window.showErrorMessage("lqls: the language server is not running (see the lqls log).");
    return undefined;
  }
  return client;
}

/** The active editor when it shows a changelog language, else a message. */
function changelogEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !isChangelogLanguage(editor.document.languageId)) {
    void vscode.window.showInformationMessage("lqls: open a Liquibase changelog first.");
    return undefined;
  }
  return editor;
}

async function executeServerCommand(
  deps: CommandDeps,
  command: string,
  args: unknown[],
  token?: vscode.CancellationToken,
): Promise<unknown> {
  const client = await runningClient(deps);
  if (client === undefined) {
    return undefined;
  }
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token);
}

async function reviewThisChangeset(deps: CommandDeps): Promise<void> {
  const editor = changelogEditor();
  const client = editor && (await runningClient(deps));
  if (editor === undefined || client === undefined) {
    return;
  }
  const position = client.code2ProtocolConverter.asPosition(editor.selection.active);
  const actions = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
    range: { start: position, end: position },
    context: { diagnostics: [], only: [REVIEW_ACTION_KIND] },
  });
  const target = findReviewTarget(actions);
  if (target === undefined) {
    void vscode.window.showInformationMessage(
      "lqls: the cursor is not inside a changeset, or AI review is off (lqls.llm.backend).",
    );
    return;
  }
  deps.store.start(target.uri, target.changeset);
  deps.panel.show();
  deps.panel.refresh();
  try {
    const review: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_REVIEW_COMMAND,
      arguments: [target.uri, target.changeset],
    });
    deps.store.finish(target.uri, target.changeset, asFinishedReview(review));
  } catch (error) {
    deps.store.fail(target.uri, target.changeset, errorMessage(error));
    void vscode.window.showErrorMessage(`lqls: the review of changeset ${target.changeset} failed: ${errorMessage(error)}`);
  }
  deps.panel.refresh();
}

async function reviewThisFile(deps: CommandDeps): Promise<void> {
  const editor = changelogEditor();
  const client = editor && (await runningClient(deps));
  if (editor === undefined || client === undefined) {
    return;
  }
  const uri = client.code2ProtocolConverter.asUri(editor.document.uri);
  deps.panel.show();
  try {
    const answer: unknown = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: "lqls: reviewing the file" },
      () => client.sendRequest(ExecuteCommandRequest.type, { command: "lqls.reviewFile", arguments: [uri] }),
    );
    const { reviewed, failed } = (answer ?? {}) as { reviewed?: unknown; failed?: unknown };
    void vscode.window.showInformationMessage(
      `lqls: reviewed ${typeof reviewed === "number" ? reviewed : "?"} changeset(s)` +
        (typeof failed === "number" && failed > 0 ? `, ${failed} failed.` : "."),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`lqls: the file review failed: ${errorMessage(error)}`);
  }
}

async function reindexKnowledgeBase(deps: CommandDeps): Promise<void> {
  try {
    await executeServerCommand(deps, "lqls.reindex", []);
    void vscode.window.showInformationMessage("lqls: rebuilding the knowledge base (progress in the status bar).");
  } catch (error) {
    void vscode.window.showErrorMessage(`lqls: reindexing failed: ${errorMessage(error)}`);
  }
}

/** The rule code of an lqls diagnostic under the cursor, if any. */
function codeAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const position = editor.selection.active;
  for (const diagnostic of vscode.languages.getDiagnostics(editor.document.uri)) {
    const code = diagnostic.range.contains(position) ? ruleCodeOf(diagnostic) : undefined;
    if (code !== undefined) {
      return code;
    }
  }
  return undefined;
}

async function showRuleDocumentation(deps: CommandDeps, code?: unknown): Promise<void> {
  try {
    let rule = typeof code === "string" && code !== "" ? code : codeAtCursor();
    if (rule === undefined) {
      const rules = parseRuleList(await executeServerCommand(deps, "lqls.ruleDocs", []));
      if (rules.length === 0) {
        void vscode.window.showErrorMessage("lqls: the server listed no rules.");
        return;
      }
      const picked = await vscode.window.showQuickPick(ruleQuickPickItems(rules), {
        title: "lqls rules",
        placeHolder: "Show the documentation of a rule",
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (picked === undefined) {
        return;
      }
      rule = picked.code;
    }
    const doc = parseRuleDoc(await executeServerCommand(deps, "lqls.ruleDocs", [rule]));
    if (doc === undefined) {
      void vscode.window.showErrorMessage(`lqls: no documentation for ${rule}.`);
      return;
    }
    const uri = deps.ruleDocs.put(doc.code || rule, doc.markdown);
    try {
      await vscode.commands.executeCommand("markdown.showPreview", uri);
    } catch {
      // Without the built-in Markdown extension: the Markdown source, read-only.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`lqls: ${errorMessage(error)}`);
  }
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.reviewThisChangeset, () => reviewThisChangeset(deps)),
    vscode.commands.registerCommand(COMMANDS.reviewThisFile, () => reviewThisFile(deps)),
    vscode.commands.registerCommand(COMMANDS.reindexKnowledgeBase, () => reindexKnowledgeBase(deps)),
    vscode.commands.registerCommand(COMMANDS.showRuleDocumentation, (code?: unknown) => showRuleDocumentation(deps, code)),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => deps.server.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => deps.server.output.show(true)),
  ];
}
