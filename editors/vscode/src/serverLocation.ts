// Where the lqls binary is: the `lqls.server.path` setting, else a binary shipped inside the extension
// (server/lqls), else `lqls` on PATH. Pure: the file system and environment are passed in, so the order is
// unit-tested on any platform.
import * as path from "node:path";

export interface LocatorEnv {
  platform: NodeJS.Platform;
  /** The user's home folder, for `~`. */
  home: string;
  /** The PATH environment variable (as is, with the platform's separator). */
  pathVariable: string | undefined;
  /** Windows' PATHEXT, for `lqls` found as `lqls.exe` or `lqls.cmd`. */
  pathExt?: string;
  /** The extension's own folder. */
  extensionPath: string;
  /** The first workspace folder's path, for `${workspaceFolder}`. */
  workspaceFolder: string | undefined;
  /** Whether an executable file exists at this absolute path. */
  isExecutableFile(file: string): boolean;
}

export type ServerSource = "setting" | "bundled" | "path";

export type ServerLocation =
  | { found: true; path: string; source: ServerSource }
  | {
      found: false;
      /** Why: the setting names a file that is not there, or no binary was found anywhere. */
      reason: "setting-missing" | "not-found";
      /** Every place looked at, for the error message. */
      tried: string[];
    };

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** Expands a leading `~` and `${workspaceFolder}`, `${userHome}` in a configured path. */
export function expandPath(
  value: string,
  env: Pick<LocatorEnv, "home" | "workspaceFolder" | "platform">,
): string {
  let out = value.trim();
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = env.home + out.slice(1);
  }
  out = out.replace(/\$\{userHome\}/g, env.home);
  if (env.workspaceFolder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, env.workspaceFolder);
  }
  return pathApi(env.platform).normalize(out);
}

/** The names an `lqls` command may have on this platform. */
function executableNames(name: string, env: LocatorEnv): string[] {
  if (env.platform !== "win32" || /\.[^\\/]+$/.test(name)) {
    return [name];
  }
  const exts = (env.pathExt ?? ".EXE;.CMD;.BAT")
    .split(";")
    .filter((ext) => ext !== "")
    .map((ext) => ext.toLowerCase());
  return exts.map((ext) => name + ext);
}

/** Looks `name` up in each PATH folder, in order. */
export function searchPath(name: string, env: LocatorEnv, tried: string[]): string | undefined {
  const api = pathApi(env.platform);
  const separator = env.platform === "win32" ? ";" : ":";
  for (const dir of (env.pathVariable ?? "").split(separator)) {
    if (dir === "") {
      continue;
    }
    for (const candidate of executableNames(name, env)) {
      const file = api.join(dir, candidate);
      tried.push(file);
      if (env.isExecutableFile(file)) {
        return file;
      }
    }
  }
  return undefined;
}

/**
 * Resolves the server binary. A configured path that does not exist is an error of its own (the user asked for
 * that file; silently running another lqls would hide the mistake). A configured bare name (`lqls-nightly`) is
 * looked up on PATH.
 */
export function locateServer(configured: string | undefined, env: LocatorEnv): ServerLocation {
  const api = pathApi(env.platform);
  const tried: string[] = [];
  const setting = configured?.trim();
  if (setting) {
    const expanded = expandPath(setting, env);
    const isBareName = !/[\\/]/.test(setting) && !setting.startsWith("~");
    if (isBareName) {
      const onPath = searchPath(expanded, env, tried);
      return onPath !== undefined
        ? { found: true, path: onPath, source: "setting" }
        : { found: false, reason: "setting-missing", tried };
    }
    const absolute = api.isAbsolute(expanded)
      ? expanded
      : api.resolve(env.workspaceFolder ?? env.home, expanded);
    tried.push(absolute);
    return env.isExecutableFile(absolute)
      ? { found: true, path: absolute, source: "setting" }
      : { found: false, reason: "setting-missing", tried };
  }

  const bundled = api.join(env.extensionPath, "server", env.platform === "win32" ? "lqls.exe" : "lqls");
  tried.push(bundled);
  if (env.isExecutableFile(bundled)) {
    return { found: true, path: bundled, source: "bundled" };
  }

  const onPath = searchPath("lqls", env, tried);
  if (onPath !== undefined) {
    return { found: true, path: onPath, source: "path" };
  }
  return { found: false, reason: "not-found", tried };
}

/** The error message shown when no server was found. */
export function describeMissingServer(location: Extract<ServerLocation, { found: false }>, configured?: string): string {
  if (location.reason === "setting-missing") {
    return (
      `lqls: the language server set in "lqls.server.path" (${configured ?? ""}) was not found ` +
      `(looked at ${location.tried.slice(0, 3).join(", ")}${location.tried.length > 3 ? ", …" : ""}). ` +
      `Fix the setting, or clear it to use the lqls on PATH.`
    );
  }
  return (
    "lqls: the language server was not found. Install it (`cargo install --locked --path server` in the lqls " +
    'repository puts `lqls` on your PATH) or set "lqls.server.path" to the binary.'
  );
}
