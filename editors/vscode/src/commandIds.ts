// The extension's command ids (package.json contributes the same). They must differ from the server's
// (lqls.review, lqls.reviewFile, lqls.explainDiagnostic, lqls.reindex, lqls.ruleDocs), which
// vscode-languageclient registers as VS Code commands itself.

export const COMMANDS = {
  reviewThisChangeset: "lqls.reviewThisChangeset",
  reviewThisFile: "lqls.reviewThisFile",
  reindexKnowledgeBase: "lqls.reindexKnowledgeBase",
  showRuleDocumentation: "lqls.showRuleDocumentation",
  restartServer: "lqls.restartServer",
  showOutput: "lqls.showOutput",
} as const;

export const SERVER_COMMANDS: readonly string[] = [
  "lqls.review",
  "lqls.reviewFile",
  "lqls.explainDiagnostic",
  "lqls.reindex",
  "lqls.ruleDocs",
];
