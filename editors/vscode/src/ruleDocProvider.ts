// Read-only virtual documents (`lqls-rule:/LB101.md`) holding a rule's Markdown documentation, as the server's
// `lqls.ruleDocs` gave it; opened in the Markdown preview.
import * as vscode from "vscode";
import { RULE_DOC_SCHEME, codeFromRuleDocPath, ruleDocPath } from "./ruleDocs";

export class RuleDocProvider implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Stores the Markdown of a rule and returns the URI of its document. */
  put(code: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: ruleDocPath(code) });
    this.docs.set(code, markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const code = codeFromRuleDocPath(uri.path);
    return this.docs.get(code) ?? `# ${code}\n\nNo documentation loaded for this rule. Run "lqls: Show Rule Documentation" again.`;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
