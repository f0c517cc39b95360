import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReviewStore, asFinishedReview, citationLabel, isReviewNotification } from "../src/reviewState";

const A = "file:///w/db/a.xml";
const B = "file:///w/db/b.yaml";

describe("ReviewStore", () => {
  it("replaces the text on each notification (it is the whole review so far)", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "1", text: "## What", done: false });
    store.update({ uri: A, changeset: "1", text: "## What it does\nAdds", done: false });
    const entry = store.get(A, "1");
    assert.equal(entry?.text, "## What it does\nAdds");
    assert.equal(entry?.done, false);
    assert.equal(store.size, 1);
    assert.equal(store.runningCount(), 1);
  });

  it("keeps one entry per (uri, changeset), in first-seen order", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "2", text: "x", done: false });
    store.update({ uri: B, changeset: "2", text: "y", done: false });
    store.update({ uri: A, changeset: "1", text: "z", done: false });
    store.update({ uri: A, changeset: "2", text: "x2", done: false });
    assert.deepEqual(
      store.list().map((e) => [e.uri, e.changeset, e.text]),
      [
        [A, "2", "x2"],
        [B, "2", "y"],
        [A, "1", "z"],
      ],
    );
  });

  it("finishes with the review's citations and text", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "1", text: "partial", done: false });
    store.update({
      uri: A,
      changeset: "1",
      text: "final [GL-LIVE-001]",
      done: true,
      review: { citations: ["GL-LIVE-001", { path: "examples/x.xml#1" }, 7], removed_citations: ["GL-FAKE-9"] },
    });
    const entry = store.get(A, "1");
    assert.equal(entry?.done, true);
    assert.equal(entry?.text, "final [GL-LIVE-001]");
    assert.deepEqual(entry?.citations, ["GL-LIVE-001", "examples/x.xml#1"]);
    assert.deepEqual(entry?.removedCitations, ["GL-FAKE-9"]);
    assert.equal(store.runningCount(), 0);
  });

  it("records an error and keeps the text written so far", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "1", text: "so far", done: false });
    store.update({ uri: A, changeset: "1", text: "", done: true, error: "cancelled by an edit" });
    const entry = store.get(A, "1");
    assert.equal(entry?.done, true);
    assert.equal(entry?.error, "cancelled by an edit");
    assert.equal(entry?.text, "so far");
  });

  it("start() shows a requested review as running, and a new stream resets a finished one", () => {
    const store = new ReviewStore();
    store.fail(A, "1", "model missing");
    store.start(A, "1");
    assert.deepEqual([store.get(A, "1")?.done, store.get(A, "1")?.error], [false, undefined]);
    store.finish(A, "1", { text: "cached review", citations: ["GL-1"] });
    store.update({ uri: A, changeset: "1", text: "again", done: false });
    const entry = store.get(A, "1");
    assert.deepEqual([entry?.done, entry?.text, entry?.citations], [false, "again", []]);
  });

  it("finish() without a review keeps the streamed text", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "1", text: "streamed", done: false });
    store.finish(A, "1", undefined);
    assert.deepEqual([store.get(A, "1")?.done, store.get(A, "1")?.text], [true, "streamed"]);
    store.clear();
    assert.equal(store.size, 0);
  });
});

describe("isReviewNotification / citationLabel", () => {
  it("accepts only well-formed notifications", () => {
    assert.equal(isReviewNotification({ uri: A, changeset: "1", text: "", done: false }), true);
    assert.equal(isReviewNotification({ uri: A, changeset: 1, done: false }), false);
    assert.equal(isReviewNotification(null), false);
    assert.equal(isReviewNotification("x"), false);
  });

  it("takes only objects as finished reviews", () => {
    assert.deepEqual(asFinishedReview({ text: "t" }), { text: "t" });
    assert.equal(asFinishedReview(null), undefined);
    assert.equal(asFinishedReview([1]), undefined);
    assert.equal(asFinishedReview("done"), undefined);
  });

  it("labels citations given as ids or objects", () => {
    assert.equal(citationLabel("GL-1"), "GL-1");
    assert.equal(citationLabel({ id: "GL-2", path: "p" }), "GL-2");
    assert.equal(citationLabel({ guideline_id: "GL-3" }), "GL-3");
    assert.equal(citationLabel({ other: 1 }), undefined);
    assert.equal(citationLabel(null), undefined);
  });
});
