// Translates the extension's `lqls.*` settings into the server's settings object, whose keys are those of
// lqls.toml (kebab-case). Only keys the user has set are sent: an unset key must let the project's lqls.toml
// and the server's defaults apply, so the defaults shown in package.json are never forwarded. Pure (the
// settings are read through a function), so it is unit-tested.

import { isObject } from "./untrusted";

/** Reads the value the user set for a key under `lqls.` (undefined when unset at every level). */
export type SettingReader = (key: string) => unknown;

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

type Kind = "string" | "path" | "number" | "integer" | "boolean" | "string[]" | "object";

/** VS Code key (under `lqls.`) → path in the server's settings, and the type a value must have to be sent. */
export const SETTING_MAP: ReadonlyArray<{ key: string; server: readonly string[]; kind: Kind }> = [
  { key: "databases", server: ["databases"], kind: "string[]" },
  { key: "liquibaseVersion", server: ["liquibase-version"], kind: "string" },
  { key: "rules", server: ["rules"], kind: "object" },
  { key: "knowledgeBase.path", server: ["knowledge-base", "path"], kind: "path" },
  { key: "knowledgeBase.bundled", server: ["knowledge-base", "bundled"], kind: "boolean" },
  { key: "knowledgeBase.model", server: ["knowledge-base", "model"], kind: "path" },
  { key: "knowledgeBase.k", server: ["knowledge-base", "k"], kind: "integer" },
  { key: "llm.backend", server: ["llm", "backend"], kind: "string" },
  { key: "llm.model", server: ["llm", "model"], kind: "path" },
  { key: "llm.maxTokens", server: ["llm", "max-tokens"], kind: "integer" },
  { key: "llm.threads", server: ["llm", "threads"], kind: "integer" },
  { key: "llm.context", server: ["llm", "context"], kind: "integer" },
  { key: "llm.temperature", server: ["llm", "temperature"], kind: "number" },
  { key: "llm.diagnostics", server: ["llm", "diagnostics"], kind: "boolean" },
  { key: "llm.baseUrl", server: ["llm", "base-url"], kind: "string" },
  { key: "llm.apiModel", server: ["llm", "api-model"], kind: "string" },
  { key: "llm.apiKeyEnv", server: ["llm", "api-key-env"], kind: "string" },
];

/** The keys whose change needs a new server process (the rest is sent with didChangeConfiguration). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return affects("lqls.server");
}

/** A JSON copy of an object setting (rules), dropping what JSON cannot carry. */
function toJson(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") {
    return value;
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? value : undefined;
  }
  if (Array.isArray(value)) {
    return value.map(toJson).filter((v): v is JsonValue => v !== undefined);
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = toJson(v);
      if (converted !== undefined) {
        out[k] = converted;
      }
    }
    return out;
  }
  return undefined;
}

/** The value to send, or undefined for unset, empty or mistyped values (the server's default applies). */
function accept(value: unknown, kind: Kind, expand: (p: string) => string): JsonValue | undefined {
  switch (kind) {
    case "string":
      return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
    case "path":
      return typeof value === "string" && value.trim() !== "" ? expand(value.trim()) : undefined;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? value : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "string[]":
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
    case "object":
      return isObject(value) ? toJson(value) : undefined;
  }
}

function setPath(target: JsonObject, keys: readonly string[], value: JsonValue): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isObject(next)) {
      node[key] = {};
    }
    node = node[key] as JsonObject;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * The server's settings from the user's. `expandPath` rewrites path values (the extension expands
 * `${workspaceFolder}`; the server itself expands `~`).
 */
export function toServerSettings(read: SettingReader, expandPath: (p: string) => string = (p) => p): JsonObject {
  const out: JsonObject = {};
  for (const { key, server, kind } of SETTING_MAP) {
    const value = accept(read(key), kind, expandPath);
    if (value !== undefined) {
      setPath(out, server, value);
    }
  }
  return out;
}

/** `initializationOptions` as the server reads them: the settings, and the Liquibase version on its own. */
export function initializationOptions(settings: JsonObject): JsonObject {
  const options: JsonObject = { lqls: settings };
  const version = settings["liquibase-version"];
  if (typeof version === "string") {
    options.liquibaseVersion = version;
  }
  return options;
}

/** The `workspace/didChangeConfiguration` params (the whole settings object each time). */
export function didChangeConfigurationParams(settings: JsonObject): { settings: JsonObject } {
  return { settings: { lqls: settings } };
}
