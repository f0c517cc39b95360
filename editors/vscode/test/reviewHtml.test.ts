import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeNonce, renderBody, renderDocument, renderSection, shortName } from "../src/reviewHtml";
import { ReviewStore } from "../src/reviewState";

const A = "file:///w/db/changelog%20main.xml";

describe("review panel HTML", () => {
  it("gives each review a section with the e2e hooks", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "add-col", text: "## Problems\nNone", done: false });
    const html = renderSection(store.list()[0]);
    assert.match(html, /<section class="lqls-review" data-changeset="add-col" data-uri="[^"]+" data-done="false">/);
    assert.match(html, /<div class="lqls-review-text"><h2>Problems<\/h2>\n<p>None<\/p><\/div>/);
    assert.match(html, /running…/);
  });

  it("marks finished reviews done and lists their citations", () => {
    const store = new ReviewStore();
    store.update({ uri: A, changeset: "1", text: "ok", done: true, review: { citations: ["GL-LIVE-001"], removed_citations: ["GL-X"] } });
    const html = renderSection(store.list()[0]);
    assert.match(html, /data-done="true"/);
    assert.match(html, /<h3>Citations<\/h3><ul><li><code>GL-LIVE-001<\/code><\/li><\/ul>/);
    assert.match(html, /Removed invented citations: <code>GL-X<\/code>/);
    assert.doesNotMatch(html, /running…/);
  });

  it("shows errors, escaped", () => {
    const store = new ReviewStore();
    store.fail(A, "1", "model <missing>");
    const html = renderSection(store.list()[0]);
    assert.match(html, /<div class="lqls-review-error">model &lt;missing&gt;<\/div>/);
    assert.match(html, /failed/);
  });

  it("escapes changeset ids and uris in attributes", () => {
    const store = new ReviewStore();
    store.start('file:///x"y.xml', '1" onclick="evil');
    const html = renderSection(store.list()[0]);
    assert.ok(!html.includes('" onclick="evil'));
    assert.match(html, /data-changeset="1&quot; onclick=&quot;evil"/);
  });

  it("renders sections in store order and a hint when empty", () => {
    const store = new ReviewStore();
    assert.match(renderBody(store.list()), /No reviews yet/);
    store.start(A, "b");
    store.start(A, "a");
    const body = renderBody(store.list());
    assert.ok(body.indexOf('data-changeset="b"') < body.indexOf('data-changeset="a"'));
  });

  it("has a strict CSP: no remote content, only nonce'd style and script", () => {
    const nonce = makeNonce();
    const doc = renderDocument([], nonce, "vscode-webview://abc");
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(doc)?.[1] ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    const scripts = doc.match(/<script[^>]*>/g) ?? [];
    assert.ok(scripts.length > 0);
    for (const tag of scripts) {
      assert.equal(tag, `<script nonce="${nonce}">`);
    }
  });

  it("makes unpredictable nonces", () => {
    const a = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, makeNonce());
  });

  it("names files by their last path segment", () => {
    assert.equal(shortName(A), "changelog main.xml");
    assert.equal(shortName("file:///a/b.sql?x=1"), "b.sql");
  });
});
