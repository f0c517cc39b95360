import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatStatus, parseStatus } from "../src/statusFormat";

describe("formatStatus", () => {
  it("shows the client's own states", () => {
    assert.equal(formatStatus("starting", undefined).text, "$(database) lqls $(loading~spin) starting");
    assert.equal(formatStatus("stopped", undefined).text, "$(database) lqls stopped");
    assert.equal(formatStatus("not-found", undefined).error, true);
  });

  it("is just the name while running without status", () => {
    const view = formatStatus("running", undefined);
    assert.equal(view.text, "$(database) lqls");
    assert.match(view.tooltip, /running/);
    assert.equal(view.error, false);
  });

  it("shows knowledge-base indexing progress", () => {
    const view = formatStatus("running", { knowledgeBase: { state: "indexing", embedded: 120, total: 300 } });
    assert.equal(view.text, "$(database) lqls $(sync~spin) indexing 120/300");
    assert.match(view.tooltip, /Knowledge base: indexing 120\/300/);
  });

  it("shows KB ready and each model state", () => {
    const kb = { state: "ready" };
    assert.equal(formatStatus("running", { knowledgeBase: kb, model: { state: "loading" } }).text, "$(database) lqls $(check) KB ready $(loading~spin) model loading");
    assert.equal(formatStatus("running", { knowledgeBase: kb, model: { state: "ready", name: "smollm2" } }).text, "$(database) lqls $(check) KB ready model ready");
    const failed = formatStatus("running", { model: { state: "failed", message: "no such file" } });
    assert.equal(failed.text, "$(database) lqls $(error) model failed");
    assert.equal(failed.error, true);
    assert.match(failed.tooltip, /Model: failed — no such file/);
    assert.match(formatStatus("running", { model: { state: "idle", name: "smollm2" } }).tooltip, /Model \(smollm2\): loads on the first review/);
    assert.match(formatStatus("running", { model: { state: "off" } }).tooltip, /AI review: off/);
  });

  it("counts running reviews", () => {
    assert.equal(formatStatus("running", { reviews: { running: 2 } }).text, "$(database) lqls $(comment-discussion) 2 reviews");
    assert.equal(formatStatus("running", { reviews: { running: 0 } }).text, "$(database) lqls");
  });

  it("marks a failed knowledge base", () => {
    const view = formatStatus("running", { knowledgeBase: { state: "failed", message: "model missing" } });
    assert.equal(view.error, true);
    assert.match(view.tooltip, /model missing/);
  });
});

describe("parseStatus", () => {
  it("keeps well-typed fields and drops the rest", () => {
    assert.deepEqual(parseStatus({ knowledgeBase: { state: "indexing", embedded: "3", total: 9 }, model: 4, reviews: { running: 1 } }), {
      knowledgeBase: { state: "indexing", embedded: undefined, total: 9, message: undefined },
      reviews: { running: 1 },
    });
    assert.deepEqual(parseStatus(null), {});
    assert.deepEqual(parseStatus([]), {});
  });
});
