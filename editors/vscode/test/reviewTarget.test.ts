import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findReviewTarget } from "../src/reviewTarget";

describe("findReviewTarget", () => {
  it("reads the changeset from the review code action", () => {
    const actions = [
      {
        title: "Review changeset 42 (AI)",
        kind: "refactor.lqls.review",
        command: { title: "Review", command: "lqls.review", arguments: ["file:///w/a.xml", "42"] },
      },
    ];
    assert.deepEqual(findReviewTarget(actions), { uri: "file:///w/a.xml", changeset: "42" });
  });

  it("accepts a bare Command too, and skips other actions", () => {
    const actions = [
      { title: "Fix", kind: "quickfix", edit: {} },
      { title: "Explain", command: { command: "lqls.explainDiagnostic", arguments: ["u", "1", "LB1", "m"] } },
      { title: "Review", command: "lqls.review", arguments: ["file:///w/a.sql", "ana:1"] },
    ];
    assert.deepEqual(findReviewTarget(actions), { uri: "file:///w/a.sql", changeset: "ana:1" });
  });

  it("finds nothing outside a changeset or with reviews off", () => {
    assert.equal(findReviewTarget(null), undefined);
    assert.equal(findReviewTarget([]), undefined);
    assert.equal(findReviewTarget([{ command: { command: "lqls.review", arguments: ["only-uri"] } }]), undefined);
  });
});
