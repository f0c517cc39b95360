// The status bar item: the client's state and the server's `lqls/status`, formatted by statusFormat.ts.
import * as vscode from "vscode";
import { formatStatus, parseStatus, type ClientState, type ServerStatus } from "./statusFormat";

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private clientState: ClientState = "stopped";
  private status: ServerStatus | undefined;

  constructor(showOutputCommand: string) {
    this.item = vscode.window.createStatusBarItem("lqls.status", vscode.StatusBarAlignment.Left, 0);
    this.item.name = "lqls";
    this.item.command = showOutputCommand;
    this.render();
  }

  setClientState(state: ClientState): void {
    this.clientState = state;
    if (state !== "running") {
      // A new server process reports its own status.
      this.status = undefined;
    }
    this.render();
    this.item.show();
  }

  setServerStatus(params: unknown): void {
    this.status = parseStatus(params);
    this.render();
  }

  private render(): void {
    const view = formatStatus(this.clientState, this.status);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
