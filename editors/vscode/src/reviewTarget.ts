// Finding "the changeset at the cursor" the way the editors contract says: the server answers a
// `textDocument/codeAction` request limited to `refactor.lqls.review` with one action whose command is
// `lqls.review [uri, changesetId]`. Pure: it reads the answer, whatever its shape.

import { isObject } from "./untrusted";

export const REVIEW_ACTION_KIND = "refactor.lqls.review";
export const SERVER_REVIEW_COMMAND = "lqls.review";

export interface ReviewTarget {
  uri: string;
  changeset: string;
}

/** The command of a CodeAction, or the Command itself (servers may answer either). */
function commandOf(item: unknown): Record<string, unknown> | undefined {
  if (!isObject(item)) {
    return undefined;
  }
  if (typeof item.command === "string") {
    return item;
  }
  return isObject(item.command) ? item.command : undefined;
}

/** The changeset the server offers to review, or undefined when the cursor is not in one (or reviews are off). */
export function findReviewTarget(actions: unknown): ReviewTarget | undefined {
  if (!Array.isArray(actions)) {
    return undefined;
  }
  for (const action of actions) {
    const command = commandOf(action);
    if (command?.command !== SERVER_REVIEW_COMMAND || !Array.isArray(command.arguments)) {
      continue;
    }
    const [uri, changeset] = command.arguments as unknown[];
    if (typeof uri === "string" && typeof changeset === "string") {
      return { uri, changeset };
    }
  }
  return undefined;
}
