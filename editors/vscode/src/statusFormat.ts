// The status bar item's text and tooltip, from the client's state and the server's `lqls/status`
// notification. Pure, so every state is unit-tested.

import { isObject } from "./untrusted";

export interface KnowledgeBaseStatus {
  state?: string; // "indexing" | "ready" | "failed"
  embedded?: number;
  total?: number;
  message?: string;
}

export interface ModelStatus {
  state?: string; // "off" | "idle" | "loading" | "ready" | "failed"
  name?: string;
  message?: string;
}

/** `lqls/status` params; every field is optional (older servers send less, or nothing). */
export interface ServerStatus {
  knowledgeBase?: KnowledgeBaseStatus;
  model?: ModelStatus;
  reviews?: { running?: number };
}

export type ClientState = "starting" | "running" | "stopped" | "not-found";

export interface StatusView {
  text: string;
  tooltip: string;
  /** An error state the item should highlight. */
  error: boolean;
}

/** Keeps only well-typed fields of an untrusted notification. */
export function parseStatus(value: unknown): ServerStatus {
  if (!isObject(value)) {
    return {};
  }
  const str = (o: Record<string, unknown>, k: string): string | undefined =>
    typeof o[k] === "string" ? o[k] : undefined;
  const num = (o: Record<string, unknown>, k: string): number | undefined =>
    typeof o[k] === "number" && Number.isFinite(o[k]) ? o[k] : undefined;
  const status: ServerStatus = {};
  if (isObject(value.knowledgeBase)) {
    const kb = value.knowledgeBase;
    status.knowledgeBase = { state: str(kb, "state"), embedded: num(kb, "embedded"), total: num(kb, "total"), message: str(kb, "message") };
  }
  if (isObject(value.model)) {
    const m = value.model;
    status.model = { state: str(m, "state"), name: str(m, "name"), message: str(m, "message") };
  }
  if (isObject(value.reviews)) {
    status.reviews = { running: num(value.reviews, "running") };
  }
  return status;
}

function knowledgeBasePart(kb: KnowledgeBaseStatus | undefined): { text?: string; line?: string; error: boolean } {
  switch (kb?.state) {
    case "indexing": {
      const progress = kb.total !== undefined && kb.total > 0 ? ` ${kb.embedded ?? 0}/${kb.total}` : "";
      return { text: `$(sync~spin) indexing${progress}`, line: `Knowledge base: indexing${progress}`, error: false };
    }
    case "ready":
      return { text: "$(check) KB ready", line: "Knowledge base: ready", error: false };
    case "failed":
      return { text: "$(error) KB failed", line: "Knowledge base: failed", error: true };
    default:
      return { error: false };
  }
}

function modelPart(model: ModelStatus | undefined): { text?: string; line?: string; error: boolean } {
  const name = model?.name ? ` (${model.name})` : "";
  switch (model?.state) {
    case "loading":
      return { text: "$(loading~spin) model loading", line: `Model${name}: loading`, error: false };
    case "ready":
      return { text: "model ready", line: `Model${name}: ready`, error: false };
    case "failed":
      return { text: "$(error) model failed", line: `Model${name}: failed`, error: true };
    case "idle":
      return { line: `Model${name}: loads on the first review`, error: false };
    case "off":
      return { line: "AI review: off", error: false };
    default:
      return { error: false };
  }
}

export function formatStatus(client: ClientState, status: ServerStatus | undefined): StatusView {
  const base = "$(database) lqls";
  switch (client) {
    case "starting":
      return { text: `${base} $(loading~spin) starting`, tooltip: "lqls: the language server is starting", error: false };
    case "stopped":
      return { text: `${base} stopped`, tooltip: "lqls: the language server is stopped. Click for its log.", error: true };
    case "not-found":
      return { text: `${base} $(error) not found`, tooltip: "lqls: the language server binary was not found. Click for the log.", error: true };
    case "running":
      break;
  }
  const kb = knowledgeBasePart(status?.knowledgeBase);
  const model = modelPart(status?.model);
  const running = status?.reviews?.running ?? 0;
  const texts = [kb.text, model.text, running > 0 ? `$(comment-discussion) ${running} review${running === 1 ? "" : "s"}` : undefined];
  const lines = ["lqls: the language server is running"];
  for (const [part, message] of [
    [kb, status?.knowledgeBase?.message],
    [model, status?.model?.message],
  ] as const) {
    if (part.line !== undefined) {
      lines.push(message ? `${part.line} — ${message}` : part.line);
    }
  }
  if (running > 0) {
    lines.push(`Reviews running: ${running}`);
  }
  lines.push("Click to show the server log.");
  return {
    text: [base, ...texts.filter((t): t is string => t !== undefined)].join(" "),
    tooltip: lines.join("\n"),
    error: kb.error || model.error,
  };
}
