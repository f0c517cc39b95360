// The "lqls review" webview: shows the reviews of the ReviewStore, updated as the server streams them. Thin;
// the state is in reviewState.ts and the HTML in reviewHtml.ts.
import * as vscode from "vscode";
import { makeNonce, renderBody, renderDocument } from "./reviewHtml";
import type { ReviewStore } from "./reviewState";

export const REVIEW_VIEW_TYPE = "lqls.review";

// Notifications come about every 80 ms per review; repainting at most this often keeps the webview responsive.
const REPAINT_MS = 100;

export class ReviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: ReviewStore) {}

  /** Opens the panel (beside the editor) or brings it forward. */
  show(preserveFocus = true): void {
    if (this.panel !== undefined) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      REVIEW_VIEW_TYPE,
      "lqls review",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: [], enableFindWidget: true },
    );
    panel.webview.html = renderDocument(this.store.list(), makeNonce(), panel.webview.cspSource);
    // The webview asks for the current rendering whenever it (re)loads, e.g. after being hidden.
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (typeof message === "object" && message !== null && (message as { type?: unknown }).type === "ready") {
        this.paint();
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
    });
    this.panel = panel;
  }

  /** The store changed: repaint soon (coalescing bursts of notifications). */
  refresh(): void {
    if (this.panel === undefined || this.timer !== undefined) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.paint();
    }, REPAINT_MS);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  private paint(): void {
    void this.panel?.webview.postMessage({ type: "render", html: renderBody(this.store.list()) });
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.panel?.dispose();
  }
}
