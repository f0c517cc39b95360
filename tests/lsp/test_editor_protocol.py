"""What the editor plugins build on, through a real client: `lqls/status` for a status line (the
knowledge base's and the model's state, including failure), `lqls.reindex`, and `lqls.ruleDocs`."""
import asyncio

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

from session import Session


def kb_state(st):
    return st.knowledgeBase.state


async def command(s: Session, name: str, *args):
    return await asyncio.wait_for(s.client.workspace_execute_command_async(
        T.ExecuteCommandParams(command=name, arguments=list(args))), 60)


def configure(s: Session, settings: dict):
    s.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings={"lqls": settings}))


async def test_the_commands_are_advertised(tmp_path):
    s = Session()
    result = await s.start(root=tmp_path)
    try:
        commands = result.capabilities.execute_command_provider.commands
        assert {"lqls.review", "lqls.reviewFile", "lqls.explainDiagnostic", "lqls.reindex",
                "lqls.ruleDocs"} <= set(commands)
    finally:
        await s.stop()


@pytest.mark.needs_model
async def test_status_follows_indexing_and_reindex_and_the_llm_setting(tmp_path):
    s = Session()
    await s.start(root=tmp_path, progress=True)
    try:
        ready = await s.status_where(lambda st: kb_state(st) == "ready", timeout=300)
        # The model loads on the first review, not before.
        assert ready.model.state == "idle"
        assert ready.reviews.running == 0
        seen = len(s.statuses)
        assert await command(s, "lqls.reindex") == {"started": True}
        # A build from cached vectors may be over before "indexing" is sent: the build count says it ran.
        await s.status_where(lambda st: kb_state(st) == "ready" and st.knowledgeBase.build > ready.knowledgeBase.build,
                             after=seen, timeout=300)
        configure(s, {"llm": {"backend": "off"}})
        await s.status_where(lambda st: st.model.state == "off", after=seen)
        configure(s, {})
        await s.status_where(lambda st: st.model.state == "idle", after=seen)
    finally:
        await s.stop()


async def test_a_knowledge_base_that_cannot_load_says_why_in_the_status(tmp_path):
    s = Session()
    await s.start(root=tmp_path)
    try:
        configure(s, {"knowledge-base": {"model": str(tmp_path / "no-such-model")}})
        try:
            failed = await s.status_where(lambda st: kb_state(st) == "failed", timeout=120)
        except TimeoutError:
            raise AssertionError(f"no failed status: {s.statuses} {s.logs}")
        assert "no-such-model" in failed.knowledgeBase.message, failed
    finally:
        await s.stop()


async def test_rule_docs_by_code_by_name_and_the_list(tmp_path):
    s = Session()
    await s.start(root=tmp_path)
    try:
        page = await command(s, "lqls.ruleDocs", "LB190")
        assert page["code"] == "LB190"
        assert page["markdown"].startswith("# LB190"), page["markdown"][:80]
        by_name = await command(s, "lqls.ruleDocs", page["name"])
        assert by_name["markdown"] == page["markdown"]
        listed = await command(s, "lqls.ruleDocs")
        codes = [r["code"] for r in listed["rules"]]
        assert "LB190" in codes and len(codes) == len(set(codes)) > 50
        with pytest.raises(JsonRpcException, match="no rule `LB9999`"):
            await command(s, "lqls.ruleDocs", "LB9999")
    finally:
        await s.stop()
