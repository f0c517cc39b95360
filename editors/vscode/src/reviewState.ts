// The review panel's model: one entry per (document, changeset), in the order they were first seen, fed by the
// server's streaming `lqls/review` notifications and by the answers of `lqls.review`. Pure, so the panel's
// behaviour (replace-on-update, done/error, ordering) is unit-tested without a webview.

import { isObject } from "./untrusted";

/** A `lqls/review` notification's params (see the editors contract). */
export interface ReviewNotification {
  uri: string;
  changeset: string;
  /** The whole review so far (not a delta). */
  text: string;
  done: boolean;
  error?: string;
  review?: FinishedReview;
}

/** The finished review the server sends with the last notification and as the answer of `lqls.review`. */
export interface FinishedReview {
  changeset?: string;
  text?: string;
  citations?: unknown[];
  removed_citations?: unknown[];
  cached?: boolean;
  model?: string;
}

export interface ReviewEntry {
  key: string;
  uri: string;
  changeset: string;
  text: string;
  done: boolean;
  error?: string;
  citations: string[];
  removedCitations: string[];
  /** Order of first appearance, for a stable layout. */
  seq: number;
}

export function reviewKey(uri: string, changeset: string): string {
  return `${uri}\u0000${changeset}`;
}

/** A citation as shown: the server sends ids (`GL-LIVE-001`) or objects naming a source. */
export function citationLabel(citation: unknown): string | undefined {
  if (typeof citation === "string") {
    return citation;
  }
  if (typeof citation === "object" && citation !== null) {
    const record = citation as Record<string, unknown>;
    for (const field of ["id", "guideline_id", "path", "source", "title"]) {
      const value = record[field];
      if (typeof value === "string" && value !== "") {
        return value;
      }
    }
  }
  return undefined;
}

function labels(list: unknown): string[] {
  return Array.isArray(list)
    ? list.map(citationLabel).filter((label): label is string => label !== undefined)
    : [];
}

/** Type guard for notification params arriving from the server (untrusted shape). */
export function isReviewNotification(value: unknown): value is ReviewNotification {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return typeof v.uri === "string" && typeof v.changeset === "string" && typeof v.done === "boolean";
}

/** The answer of `lqls.review` when it is a review object (untrusted shape; fields are read defensively). */
export function asFinishedReview(value: unknown): FinishedReview | undefined {
  return isObject(value) ? value : undefined;
}

export class ReviewStore {
  private readonly entries = new Map<string, ReviewEntry>();
  private nextSeq = 0;

  private entry(uri: string, changeset: string): ReviewEntry {
    const key = reviewKey(uri, changeset);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { key, uri, changeset, text: "", done: false, citations: [], removedCitations: [], seq: this.nextSeq++ };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** A review was asked for: show it as running (empty) until the server streams. */
  start(uri: string, changeset: string): ReviewEntry {
    const entry = this.entry(uri, changeset);
    entry.text = "";
    entry.done = false;
    entry.error = undefined;
    entry.citations = [];
    entry.removedCitations = [];
    return entry;
  }

  /** A streamed update replaces the text; the last one (done) carries the citations or the error. */
  update(n: ReviewNotification): ReviewEntry {
    const entry = this.entry(n.uri, n.changeset);
    if (n.done) {
      this.finishEntry(entry, n.review, n.error, typeof n.text === "string" ? n.text : undefined);
    } else {
      // A new run of a review that had finished starts over.
      entry.done = false;
      entry.error = undefined;
      entry.citations = [];
      entry.removedCitations = [];
      entry.text = typeof n.text === "string" ? n.text : "";
    }
    return entry;
  }

  /** The answer of `lqls.review` (a cached review may come without any notification). */
  finish(uri: string, changeset: string, review: FinishedReview | undefined): ReviewEntry {
    return this.finishEntry(this.entry(uri, changeset), review, undefined, undefined);
  }

  /** The request failed (cancelled by an edit, model missing...). */
  fail(uri: string, changeset: string, error: string): ReviewEntry {
    return this.finishEntry(this.entry(uri, changeset), undefined, error, undefined);
  }

  private finishEntry(
    entry: ReviewEntry,
    review: FinishedReview | undefined,
    error: string | undefined,
    text: string | undefined,
  ): ReviewEntry {
    entry.done = true;
    entry.error = error;
    const finalText = typeof review?.text === "string" ? review.text : text;
    if (typeof finalText === "string" && finalText !== "") {
      entry.text = finalText;
    }
    if (review !== undefined) {
      entry.citations = labels(review.citations);
      entry.removedCitations = labels(review.removed_citations);
    }
    return entry;
  }

  /** Entries in the order they were first seen. */
  list(): ReviewEntry[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq);
  }

  get(uri: string, changeset: string): ReviewEntry | undefined {
    return this.entries.get(reviewKey(uri, changeset));
  }

  get size(): number {
    return this.entries.size;
  }

  runningCount(): number {
    return this.list().filter((e) => !e.done).length;
  }

  clear(): void {
    this.entries.clear();
  }
}
