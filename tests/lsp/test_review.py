"""AI reviews through a real LSP client and the real default model (SmolLM2-135M-Instruct): the code
actions, `workspace/executeCommand` with `$/progress` and the streaming `lqls/review` notification, the
finished review in hover (which never waits for the model), cancellation by an edit, and a model that
cannot be loaded leaving the rules working.

Needs the models (scripts/setup-models.sh); skipped without them unless LQLS_REQUIRE_MODELS=1 (as in CI)."""
import ast
import asyncio
import time

import pytest
from lsprotocol import types as T

from session import Session, hover, position_of

needs_llm = pytest.mark.needs_llm

CHANGELOG = """<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="20240601-1" author="jdoe">
    <comment>order status</comment>
    <addColumn tableName="orders">
      <column name="status" type="varchar(20)"><constraints nullable="false"/></column>
    </addColumn>
    <rollback><dropColumn tableName="orders" columnName="status"/></rollback>
  </changeSet>
  <changeSet id="20240601-2" author="jdoe">
    <comment>drop the legacy table</comment>
    <dropTable tableName="legacy_orders"/>
  </changeSet>
</databaseChangeLog>
"""

# Short reviews keep the test quick; the model and prompt are the real ones.
CONFIG = "[llm]\nmax-tokens = 48\n"


def review_cmd(s: Session, uri: str, changeset: str):
    return s.client.workspace_execute_command_async(
        T.ExecuteCommandParams(command="lqls.review", arguments=[uri, changeset])
    )


def command_of(action) -> T.Command:
    """The command of a code action. lsprotocol structures any code action that has a `command` as a
    bare Command (its union hook checks only for the key), stringifying the nested command object."""
    if isinstance(action, T.CodeAction):
        return action.command
    if isinstance(action.command, str) and action.command.startswith("{"):
        d = ast.literal_eval(action.command)
        return T.Command(title=d["title"], command=d["command"], arguments=d.get("arguments"))
    return action


def field(obj, name):
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


async def start(tmp_path, config=CONFIG, env=None):
    (tmp_path / "lqls.toml").write_text(config)
    s = Session()
    await s.start(root=tmp_path, progress=True, env={"LQLS_CACHE": str(tmp_path / "cache"), **(env or {})})
    uri = (tmp_path / "changelog.xml").as_uri()
    s.open(uri, CHANGELOG)
    await s.publish_number(uri, 1)
    return s, uri


@needs_llm
async def test_review_code_action_streams_and_lands_in_hover(tmp_path):
    s, uri = await start(tmp_path)
    # Before any review, hover says how to get one (and does not wait for the model).
    header = position_of(CHANGELOG, '<changeSet id="20240601-1"')
    before = await hover(s, uri, header)
    assert "**AI review**: none yet" in before
    # The code actions on the changeset: review it, and explain its MS201 finding.
    diags = s.published[uri][-1].diagnostics
    ms201 = [d for d in diags if d.code == "MS201"]
    assert ms201, [d.code for d in diags]
    actions = await s.client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri),
        range=ms201[0].range,
        context=T.CodeActionContext(diagnostics=ms201),
    ))
    titles = [a.title for a in actions]
    assert "Review changeset 20240601-1 (AI)" in titles, titles
    assert "Explain MS201 (AI)" in titles, titles
    review_action = command_of(next(a for a in actions if a.title.startswith("Review changeset")))
    assert review_action.command == "lqls.review"

    result = await asyncio.wait_for(s.client.workspace_execute_command_async(
        T.ExecuteCommandParams(command=review_action.command, arguments=review_action.arguments)
    ), 300)
    text = field(result, "text")
    assert text.strip(), result
    assert field(result, "changeset") == "20240601-1"
    assert field(result, "generation")["generated_tokens"] <= 48 if isinstance(field(result, "generation"), dict) \
        else field(result, "generation").generated_tokens <= 48
    # Streamed: the last notification is done and carries the final text.
    mine = [r for r in s.reviews if field(r, "changeset") == "20240601-1"]
    assert mine and field(mine[-1], "done") and field(mine[-1], "text") == text
    # $/progress for the model loading and for the review.
    assert any(t.startswith("lqls/review/") for t in s.progress), list(s.progress)
    assert "lqls/llm" in s.progress
    # Hover now shows the review, at once.
    t0 = time.perf_counter()
    after = await hover(s, uri, header)
    assert time.perf_counter() - t0 < 5
    assert "**AI review** (SmolLM2" in after and text[:40] in after, after

    # Explaining the diagnostic is a review focused on it.
    explain = command_of(next(a for a in actions if a.title == "Explain MS201 (AI)"))
    assert explain.command == "lqls.explainDiagnostic"
    result = await asyncio.wait_for(s.client.workspace_execute_command_async(
        T.ExecuteCommandParams(command=explain.command, arguments=explain.arguments)
    ), 300)
    assert field(result, "text").strip()
    await s.stop()


@needs_llm
async def test_an_edit_cancels_a_running_review(tmp_path):
    s, uri = await start(tmp_path, config="[llm]\nmax-tokens = 400\n")
    task = asyncio.ensure_future(review_cmd(s, uri, "20240601-2"))
    # Wait until it streams, then type.
    async def streaming():
        while not any(field(r, "changeset") == "20240601-2" and not field(r, "done") for r in s.reviews):
            await asyncio.sleep(0.05)
    await asyncio.wait_for(streaming(), 300)
    s.replace_all(uri, 2, CHANGELOG, CHANGELOG.replace("legacy_orders", "legacy_orders_old"))
    with pytest.raises(Exception) as e:
        await asyncio.wait_for(task, 30)
    assert "cancelled" in str(e.value)
    # No finished review was published for it, and hover shows none.
    assert not any(field(r, "changeset") == "20240601-2" and field(r, "done") and not field(r, "error")
                   for r in s.reviews)
    text = await hover(s, uri, position_of(CHANGELOG, '<changeSet id="20240601-2"'))
    assert "none yet" in text, text
    await s.stop()


async def test_a_corrupt_model_fails_the_review_and_the_rules_keep_publishing(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00 this is not a model")
    s, uri = await start(tmp_path, config=f'[llm]\nmodel = "{bad}"\n')
    with pytest.raises(Exception) as e:
        await asyncio.wait_for(review_cmd(s, uri, "20240601-1"), 60)
    assert "not a usable GGUF" in str(e.value), str(e.value)
    # Reported once as a message, and the rules still publish after an edit.
    warnings = [m for m in s.messages if "reviews unavailable" in m.message]
    assert len(warnings) == 1, [m.message for m in s.messages]
    s.replace_all(uri, 2, CHANGELOG, CHANGELOG.replace("varchar(20)", "varchar(30)"))
    diags = await s.diagnostics_for(uri, 2)
    assert any(d.code == "MS201" for d in diags)
    # A second request fails at once with the same reason, without a second message.
    with pytest.raises(Exception):
        await asyncio.wait_for(review_cmd(s, uri, "20240601-1"), 10)
    assert len([m for m in s.messages if "reviews unavailable" in m.message]) == 1
    await s.stop()


@needs_llm
async def test_finished_reviews_become_lqls_ai_diagnostics_when_asked(tmp_path):
    s, uri = await start(tmp_path, config="[llm]\nmax-tokens = 16\ndiagnostics = true\n")
    result = await asyncio.wait_for(review_cmd(s, uri, "20240601-2"), 300)
    text = field(result, "text")
    diags = await s.diagnostics_until(
        uri, lambda ds: any(d.source == "lqls-ai" for d in ds), timeout=30)
    [ai] = [d for d in diags if d.source == "lqls-ai"]
    assert ai.severity == T.DiagnosticSeverity.Information and ai.message == text
    assert ai.range.start.line == CHANGELOG[:CHANGELOG.index('<changeSet id="20240601-2"')].count("\n")
    # Once the changeset changes, its review no longer applies.
    s.replace_all(uri, 2, CHANGELOG, CHANGELOG.replace("legacy_orders", "old_orders"))
    diags = await s.diagnostics_for(uri, 2)
    assert not any(d.source == "lqls-ai" for d in diags)
    await s.stop()
