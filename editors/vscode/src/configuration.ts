// Reading the extension's settings from VS Code. Thin: the translation itself is in serverSettings.ts.
import * as os from "node:os";
import * as vscode from "vscode";
import { expandPath } from "./serverLocation";
import { toServerSettings, type JsonObject } from "./serverSettings";

export const SECTION = "lqls";

export function firstWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file")?.uri.fsPath;
}

/** `${workspaceFolder}` and `~` expanded, for paths the extension itself uses. */
export function expandSettingPath(value: string): string {
  return expandPath(value, { home: os.homedir(), workspaceFolder: firstWorkspaceFolder(), platform: process.platform });
}

/**
 * The value the user set for `lqls.<key>` (folder over workspace over user settings), or undefined: the package.json
 * default is deliberately not read, so an unset key leaves lqls.toml and the server's default in force.
 */
function userValue(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = config.inspect(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

export function readServerSettings(): JsonObject {
  const config = vscode.workspace.getConfiguration(SECTION);
  // Only `${workspaceFolder}` is expanded here; the server expands `~` and resolves relative paths itself.
  const folder = firstWorkspaceFolder();
  return toServerSettings(
    (key) => userValue(config, key),
    (p) => (folder !== undefined ? p.replace(/\$\{workspaceFolder\}/g, folder) : p),
  );
}

export interface ServerLaunchSettings {
  path: string | undefined;
  args: string[];
  env: Record<string, string>;
}

export function readLaunchSettings(): ServerLaunchSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const path = config.get<string | null>("server.path");
  const args = config.get<unknown>("server.args");
  const env = config.get<unknown>("server.env");
  return {
    path: typeof path === "string" && path.trim() !== "" ? path : undefined,
    args: Array.isArray(args) ? args.filter((a): a is string => typeof a === "string") : [],
    env:
      typeof env === "object" && env !== null
        ? Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"))
        : {},
  };
}

export function readIncludeGlobs(): string[] {
  const globs = vscode.workspace.getConfiguration(SECTION).get<unknown>("files.include");
  return Array.isArray(globs) ? globs.filter((g): g is string => typeof g === "string" && g.trim() !== "") : [];
}
