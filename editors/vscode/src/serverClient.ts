// Owns the language client: finds the binary, starts, stops and restarts the server, forwards settings, and
// hands the server's notifications (`lqls/review`, `lqls/status`) to whoever listens. One output channel for
// every server process, so the log survives restarts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { CHANGELOG_LANGUAGES } from "./changelogDetection";
import { firstWorkspaceFolder, readLaunchSettings, readServerSettings } from "./configuration";
import { INSTALL_INSTRUCTIONS_FILE } from "./links";
import { describeMissingServer, locateServer, type ServerLocation } from "./serverLocation";
import { didChangeConfigurationParams, initializationOptions } from "./serverSettings";
import type { ClientState } from "./statusFormat";

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

export function findServer(extensionPath: string, configured: string | undefined): ServerLocation {
  return locateServer(configured, {
    platform: process.platform,
    home: os.homedir(),
    pathVariable: process.env.PATH,
    pathExt: process.env.PATHEXT,
    extensionPath,
    workspaceFolder: firstWorkspaceFolder(),
    isExecutableFile,
  });
}

export class ServerClient implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ClientState>();
  private readonly notificationEmitter = new vscode.EventEmitter<{ method: string; params: unknown }>();
  /** The client's state, for the status bar. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Every `lqls/*` notification from the server (of any server process). */
  readonly onNotification = this.notificationEmitter.event;
  private lastState: ClientState = "stopped";

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("lqls");
  }

  get state(): ClientState {
    return this.lastState;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  private setState(state: ClientState): void {
    this.lastState = state;
    this.stateEmitter.fire(state);
  }

  /** Starts the server once; later calls wait for the same start. */
  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    const launch = readLaunchSettings();
    const location = findServer(this.context.extensionPath, launch.path);
    if (!location.found) {
      this.setState("not-found");
      const message = describeMissingServer(location, launch.path);
      this.output.appendLine(`${message}\nLooked at:\n  ${location.tried.join("\n  ")}`);
      void this.showMissingServer(message);
      return;
    }
    this.output.appendLine(`Starting ${location.path} (from ${location.source}) ${launch.args.join(" ")}`);

    const serverOptions: ServerOptions = {
      command: location.path,
      args: launch.args,
      options: { env: { ...process.env, ...launch.env } },
    };
    const clientOptions: LanguageClientOptions = {
      // Every file-scheme document of these languages: the server sniffs which are changelogs.
      documentSelector: CHANGELOG_LANGUAGES.map((language) => ({ scheme: "file", language })),
      outputChannel: this.output,
      initializationOptions: () => initializationOptions(readServerSettings()),
    };
    const client = new LanguageClient("lqls", "lqls", serverOptions, clientOptions);
    client.onDidChangeState(({ newState }) => {
      if (this.client !== client) {
        return;
      }
      this.setState(newState === State.Running ? "running" : newState === State.Starting ? "starting" : "stopped");
    });
    for (const method of ["lqls/review", "lqls/status"]) {
      client.onNotification(method, (params: unknown) => this.notificationEmitter.fire({ method, params }));
    }
    this.client = client;
    this.setState("starting");
    try {
      await client.start();
    } catch (error) {
      this.output.appendLine(`lqls failed to start: ${String(error)}`);
      this.client = undefined;
      this.setState("stopped");
      void vscode.window.showErrorMessage(`lqls: the language server failed to start (${String(error)}).`, "Show Log").then(
        (choice) => choice !== undefined && this.output.show(),
      );
    }
  }

  private async showMissingServer(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, "Install instructions", "Set path");
    if (choice === "Install instructions") {
      // vsce stores README.md as readme.md; in a development checkout it is README.md.
      const folder = vscode.Uri.file(this.context.extensionPath);
      const shipped = vscode.Uri.joinPath(folder, INSTALL_INSTRUCTIONS_FILE);
      const readme = (await exists(shipped)) ? shipped : vscode.Uri.joinPath(folder, "README.md");
      await vscode.commands.executeCommand("markdown.showPreview", readme);
    } else if (choice === "Set path") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "lqls.server.path");
    }
  }

  async stop(): Promise<void> {
    await this.starting;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.stop();
      } catch (error) {
        this.output.appendLine(`lqls did not stop cleanly: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState("stopped");
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Sends the whole settings object again (the server re-reads everything). */
  async sendSettings(): Promise<void> {
    if (this.client !== undefined && this.isRunning) {
      await this.client.sendNotification(
        DidChangeConfigurationNotification.type,
        didChangeConfigurationParams(readServerSettings()),
      );
    }
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.notificationEmitter.dispose();
    this.output.dispose();
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
