// The review panel's HTML, from the review store. The sections carry stable hooks for end-to-end tests:
// <section class="lqls-review" data-changeset="ID" data-done="true|false"> with the review in
// <div class="lqls-review-text">. All server text goes through escapeHtml/renderMarkdown.
import { randomBytes } from "node:crypto";
import { escapeHtml, renderMarkdown } from "./markdown";
import type { ReviewEntry } from "./reviewState";

/** The file name shown for a document URI (the full URI is in the title attribute). */
export function shortName(uri: string): string {
  const withoutQuery = uri.split(/[?#]/)[0];
  const name = withoutQuery.slice(withoutQuery.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(name) || uri;
  } catch {
    return name || uri;
  }
}

export function renderSection(entry: ReviewEntry): string {
  const status = entry.error !== undefined ? "failed" : entry.done ? "done" : "running…";
  const parts: string[] = [
    `<section class="lqls-review" data-changeset="${escapeHtml(entry.changeset)}" data-uri="${escapeHtml(entry.uri)}" data-done="${entry.done ? "true" : "false"}">`,
    `<header><h2>Changeset ${escapeHtml(entry.changeset)}</h2>` +
      `<span class="lqls-file" title="${escapeHtml(entry.uri)}">${escapeHtml(shortName(entry.uri))}</span> ` +
      `<span class="lqls-state lqls-state-${entry.error !== undefined ? "failed" : entry.done ? "done" : "running"}">${status}</span></header>`,
  ];
  if (entry.error !== undefined) {
    parts.push(`<div class="lqls-review-error">${escapeHtml(entry.error)}</div>`);
  }
  const body = entry.text !== "" ? renderMarkdown(entry.text) : entry.done ? "" : "<p><em>Waiting for the model…</em></p>";
  parts.push(`<div class="lqls-review-text">${body}</div>`);
  if (entry.done && entry.citations.length > 0) {
    parts.push(
      `<div class="lqls-citations"><h3>Citations</h3><ul>` +
        entry.citations.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("") +
        `</ul></div>`,
    );
  }
  if (entry.done && entry.removedCitations.length > 0) {
    parts.push(
      `<div class="lqls-removed-citations">Removed invented citations: ` +
        entry.removedCitations.map((c) => `<code>${escapeHtml(c)}</code>`).join(", ") +
        `</div>`,
    );
  }
  parts.push("</section>");
  return parts.join("\n");
}

export function renderBody(entries: readonly ReviewEntry[]): string {
  if (entries.length === 0) {
    return '<p class="lqls-empty">No reviews yet. Run <strong>lqls: Review This Changeset (AI)</strong> in a changelog.</p>';
  }
  return entries.map(renderSection).join("\n");
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1em; }
section.lqls-review { border-bottom: 1px solid var(--vscode-panel-border, #8884); padding: .5em 0 1em; }
section.lqls-review header { display: flex; gap: .75em; align-items: baseline; flex-wrap: wrap; }
section.lqls-review h2 { font-size: 1.15em; margin: .3em 0; }
.lqls-file { opacity: .75; }
.lqls-state { font-size: .85em; padding: 0 .4em; border-radius: 3px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.lqls-state-failed { background: var(--vscode-inputValidation-errorBackground, #a1260d); }
.lqls-review-error { color: var(--vscode-errorForeground); margin: .5em 0; white-space: pre-wrap; }
pre { background: var(--vscode-textCodeBlock-background); padding: .5em; overflow-x: auto; }
code { font-family: var(--vscode-editor-font-family); }
.lqls-citations h3 { font-size: 1em; margin: .5em 0 .2em; }
.lqls-removed-citations { opacity: .7; font-size: .9em; }
`;

/**
 * The whole webview document. The CSP allows no remote content: only the nonce'd style and script. The script
 * replaces the body when the extension posts a new rendering, and asks for one when the webview (re)loads.
 */
export function renderDocument(entries: readonly ReviewEntry[], nonce: string, cspSource: string): string {
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>lqls review</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main id="lqls-reviews">
${renderBody(entries)}
</main>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const main = document.getElementById("lqls-reviews");
  window.addEventListener("message", (event) => {
    const message = event.data;
    if (message && message.type === "render" && typeof message.html === "string") {
      main.innerHTML = message.html;
    }
  });
  vscode.postMessage({ type: "ready" });
})();
</script>
</body>
</html>`;
}

/** A fresh nonce for each document (128 random bits). */
export function makeNonce(): string {
  return randomBytes(16).toString("hex");
}
