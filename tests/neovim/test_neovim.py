"""The Neovim plugin (editors/neovim) end to end: a real headless Neovim loads it, starts the real lqls on
changelogs (and not on other XML), shows lqls's diagnostics, hovers, applies a quick fix, keeps no stale
diagnostics while typing fast, streams a review into its floating window, and passes :checkhealth."""
import pathlib
import shutil
import uuid

import pytest

from nvim import PLUGIN, ROOT, Nvim, check_codes

SHARED = ROOT.parent / "shared"
JHIPSTER = SHARED / "corpus" / "jhipster-sample-app" / "src" / "main" / "resources" / "config" / "liquibase"

PROBLEMS = """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="1" author="ana">
        <createTable tableName="person">
            <column name="id" type="bigint">
                <constraints primaryKey="true" nullable="false"/>
            </column>
        </createTable>
    </changeSet>
    <changeSet id="2" author="ana">
        <dropColumn tableName="person" columnName="nickname"/>
    </changeSet>
</databaseChangeLog>
"""

ROLLBACK = """        <rollback>
            <dropTable tableName="person"/>
        </rollback>
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "problems.xml").write_text(PROBLEMS)
    return tmp_path


@pytest.fixture
def nvim(project):
    # No reviews unless a test asks: the model must not load behind the other tests' backs.
    n = Nvim(project, {"llm": {"backend": "off"}})
    yield n
    n.close()


def test_a_corpus_changelog_gets_the_diagnostics_lqls_check_reports(tmp_path):
    if not JHIPSTER.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    shutil.copytree(JHIPSTER, tmp_path / "liquibase")
    (tmp_path / "pom.xml").write_text("<project><modelVersion>4.0.0</modelVersion></project>\n")
    changelog = tmp_path / "liquibase" / "changelog" / "20150805124936_added_entity_Label.xml"
    n = Nvim(tmp_path, {"llm": {"backend": "off"}})
    try:
        pom = n.edit(tmp_path / "pom.xml")
        buf = n.edit(changelog)
        expected = check_codes(changelog, tmp_path)
        assert ("MS290" in {c for _, c in expected}), expected
        n.must(f"#vim.diagnostic.get({buf}) >= {len(expected)}", 60, "the corpus file's diagnostics")
        assert n.diagnostics(buf) == expected
        # The plugin attached to the changelog only: a pom.xml is XML, not a changelog.
        assert n.attached(buf)
        assert not n.attached(pom)
    finally:
        n.close()


def test_hover_then_a_quick_fix_changes_the_buffer(nvim, project):
    buf = nvim.edit(project / "problems.xml")
    nvim.must(f"#vim.diagnostic.get({buf}) > 0", 60, "diagnostics")
    codes = {c for _, c in nvim.diagnostics(buf)}
    assert {"MS290", "MS291", "LB101"} <= codes, codes
    # Hover on changeset 2's start tag: the plugin's client asks, Neovim opens its hover float.
    nvim.vim.current.window.cursor = (10, 8)
    nvim.lua("vim.lsp.buf.hover()")
    nvim.must("(function() for _, w in ipairs(vim.api.nvim_list_wins()) do "
              "if vim.api.nvim_win_get_config(w).relative ~= '' then return true end end end)()", 20, "hover")
    hover = "\n".join(nvim.float_lines())
    assert "MS290" in hover and "dropColumn" in hover, hover
    nvim.vim.command("fclose!")
    # The quick fix on changeset 1 (MS291): Neovim applies the server's edit to the buffer.
    nvim.vim.current.window.cursor = (3, 19)
    nvim.lua("""vim.lsp.buf.code_action({ apply = true,
        filter = function(a) return a.title == "Add the generated rollback" end })""")
    nvim.must(f"table.concat(vim.api.nvim_buf_get_lines({buf}, 0, -1, false), '\\n'):find('<rollback>') ~= nil",
              20, "the fix's edit")
    lines = PROBLEMS.splitlines(keepends=True)
    assert nvim.text(buf) == "".join(lines[:8] + [ROLLBACK] + lines[8:])
    # The finding it fixed goes away; the others stay.
    nvim.must(f"(function() for _, d in ipairs(vim.diagnostic.get({buf})) do "
              "if d.code == 'MS291' then return false end end return true end)()", 20, "MS291 to go")
    assert "MS290" in {c for _, c in nvim.diagnostics(buf)}


def test_fast_typing_leaves_no_stale_diagnostics(nvim, project):
    path = project / "problems.xml"
    buf = nvim.edit(path)
    nvim.must(f"#vim.diagnostic.get({buf}) > 0", 60, "diagnostics")
    # Type an empty rollback into changeset 2, one key at a time, as fast as the RPC channel goes:
    # every intermediate text is broken XML with its own diagnostics.
    nvim.vim.command("setlocal expandtab shiftwidth=4")
    nvim.vim.current.window.cursor = (11, 0)
    nvim.vim.command("normal! $")
    nvim.vim.input("a")
    for ch in "\n<rollback/>":
        nvim.vim.input({"\n": "<CR>", "<": "<lt>"}.get(ch, ch))
    nvim.vim.input("<Esc>")
    typed = nvim.text(buf)
    assert "<rollback/>" in typed, typed
    path.write_text(typed)
    expected = check_codes(path, project)
    assert "MS290" not in {c for _, c in expected}
    # Settled: the last publication is for the buffer's current version and shows what `lqls check`
    # reports for the final text.
    settled = (f"(function() local last = _G.published[#_G.published] "
               f"return last ~= nil and last.version == vim.lsp.util.buf_versions[{buf}] end)()")
    nvim.must(settled, 30, "a publication of the final version")
    nvim.wait("false", 1.0)  # nothing older may arrive after it
    nvim.must(settled, 1, "no publication of an older version after the final one")
    assert nvim.diagnostics(buf) == expected
    # Undo it all in one step: the diagnostics of the original text come back.
    nvim.vim.command("normal! u")
    assert nvim.text(buf) == PROBLEMS
    nvim.must(settled, 30, "a publication after undo")
    path.write_text(PROBLEMS)
    assert nvim.diagnostics(buf) == check_codes(path, project)


def test_the_vim_lsp_start_path_of_older_neovims_attaches_the_same_way(project):
    n = Nvim(project, {"llm": {"backend": "off"}}, use_lsp_start=True)
    try:
        (project / "pom.xml").write_text("<project/>\n")
        pom = n.edit(project / "pom.xml")
        buf = n.edit(project / "problems.xml")
        n.must(f"#vim.diagnostic.get({buf}) > 0", 60, "diagnostics")
        assert "MS290" in {c for _, c in n.diagnostics(buf)}
        assert not n.attached(pom)
        # Started by the plugin's FileType autocommand, not by vim.lsp.enable.
        assert n.lua("return vim.lsp.config.lqls == nil or vim.lsp.is_enabled == nil "
                     "or not vim.lsp.is_enabled('lqls')") is True
    finally:
        n.close()


def test_a_file_becomes_a_changelog_while_it_is_written(nvim, project):
    path = project / "new.yaml"
    buf = nvim.edit(path)
    assert not nvim.attached(buf)
    nvim.vim.current.buffer[:] = ["databaseChangeLog:", "  - changeSet:", "      id: 1", "      author: ana",
                                  "      changes:", "        - dropTable:", "            tableName: person"]
    nvim.vim.command("write")
    nvim.must(f"require('lqls').client({buf}) ~= nil", 20, "the client to attach after the write")
    nvim.must(f"#vim.diagnostic.get({buf}) > 0", 60, "diagnostics")
    assert "LB102" in {c for _, c in nvim.diagnostics(buf)} or "MS290" in {c for _, c in nvim.diagnostics(buf)}


def test_formatted_sql_is_detected_and_plain_sql_is_not(nvim, project):
    (project / "changes.sql").write_text("\n--liquibase formatted sql\n--changeset ana:1\nDROP TABLE person;\n")
    (project / "report.sql").write_text("SELECT 1;\n")
    changes = nvim.edit(project / "changes.sql")
    report = nvim.edit(project / "report.sql")
    nvim.must(f"require('lqls').client({changes}) ~= nil", 20, "the client on formatted SQL")
    assert not nvim.attached(report)
    assert nvim.lua(f"return vim.b[{changes}].lqls_changelog") is True


def test_rule_docs_and_status_and_checkhealth(nvim, project):
    buf = nvim.edit(project / "problems.xml")
    nvim.must(f"#vim.diagnostic.get({buf}) > 0", 60, "diagnostics")
    # The diagnostic under the cursor names the rule.
    nvim.vim.current.window.cursor = (11, 40)
    nvim.vim.command("LqlsRuleDocs")
    nvim.must("require('lqls.float').is_open()", 20, "the rule's documentation")
    lines = nvim.float_lines()
    assert lines[0].startswith("# LB101"), lines[:3]
    nvim.vim.command("LqlsRuleDocs MS290")
    nvim.must("require('lqls.float').buffer() and vim.api.nvim_buf_get_lines("
              "require('lqls.float').buffer(), 0, 1, false)[1]:find('# MS290') ~= nil", 20, "MS290's page")
    nvim.lua("require('lqls.float').close()")
    # lqls/status reaches the statusline component.
    nvim.must("require('lqls').statusline():find('model off') ~= nil", 60, "the status")
    nvim.vim.command("checkhealth lqls")
    report = "\n".join(nvim.vim.current.buffer[:])
    assert "server: lqls " in report, report
    assert "client " in report and "status: KB" in report, report
    assert "ERROR" not in report, report
    # The help file: its tags build and :help finds the commands.
    n = nvim
    n.vim.command(f"helptags {PLUGIN / 'doc'}")
    n.vim.command("help :LqlsReview")
    assert n.vim.current.buffer.name.endswith("lqls.txt")


@pytest.mark.needs_model
def test_reindex_reports_indexing_then_ready(nvim, project):
    buf = nvim.edit(project / "problems.xml")
    nvim.must("require('lqls').statusline():find('KB ready') ~= nil", 300, "the knowledge base to be ready")
    status = f"require('lqls.status').by_client[require('lqls').client({buf}).id].knowledgeBase"
    before = nvim.lua(f"return {status}.build")
    nvim.vim.command("LqlsReindex")
    # Built again (from cached vectors that can take less time than a status update) and ready.
    nvim.must(f"{status}.build > {before} and {status}.state == 'ready'", 300, "a new build, ready")


@pytest.mark.needs_llm
def test_a_review_streams_into_the_floating_window(project):
    # A comment no earlier run had: the model writes this review, the review cache cannot answer it.
    unique = PROBLEMS.replace('<changeSet id="2" author="ana">',
                              f'<changeSet id="2" author="ana">\n        <comment>nvim {uuid.uuid4().hex[:8]}</comment>')
    (project / "problems.xml").write_text(unique)
    n = Nvim(project)
    try:
        buf = n.edit(project / "problems.xml")
        n.must(f"#vim.diagnostic.get({buf}) > 0", 60, "diagnostics")
        n.vim.current.window.cursor = (11, 8)
        n.lua("""_G.saw_running = false
            vim.api.nvim_create_autocmd("User", { pattern = "LqlsReview", callback = function()
              local b = require("lqls.float").buffer()
              local first = b and vim.api.nvim_buf_get_lines(b, 0, 1, false)[1] or ""
              if first:find("running", 1, true) then _G.saw_running = true end
            end })""")
        n.vim.command("LqlsReview")
        uri = (project / "problems.xml").as_uri()
        done = f"(function() local r = require('lqls.review').reviews['{uri}\\0002'] return r and r.done end)()"
        n.must(done, 600, "the review to finish")
        review = n.lua(f"return require('lqls.review').reviews['{uri}\\0002']")
        assert not review.get("error"), review
        assert review["text"].strip()
        # The window showed it while it was being written, then finished.
        assert n.lua("return _G.saw_running") is True
        lines = n.float_lines()
        assert lines[0] == "## Changeset 2", lines[:3]
        assert review["text"].strip().splitlines()[0] in lines
        n.lua("require('lqls.float').close()")
        # The server's own code action "Review changeset 1 (AI)" (taken through Neovim's code action UI)
        # brings the window back for that review.
        n.vim.current.window.cursor = (3, 19)
        n.lua("""vim.lsp.buf.code_action({ apply = true,
            filter = function(a) return a.title:find("Review changeset", 1, true) ~= nil end })""")
        done1 = f"(function() local r = require('lqls.review').reviews['{uri}\\0001'] return r and r.done end)()"
        n.must(done1, 600, "the review of changeset 1 to finish")
        n.must("require('lqls.float').is_open()", 10, "the window for the code action's review")
        assert n.float_lines()[0] == "## Changeset 1", n.float_lines()[:3]
        # In the review window there is no changelog to review: a clear warning, no request.
        n.vim.command("LqlsReviewFile")
        assert "no language server is running for this buffer" in n.vim.command_output("messages")
        # Back in the changelog, :LqlsReviewFile shows both changesets in one window (both cached by now).
        n.lua("require('lqls.float').close()")
        n.vim.command("LqlsReviewFile")
        both = ("vim.deep_equal(vim.tbl_filter(function(l) return l:find('^## ') end, "
                "require('lqls.review').lines()), { '## Changeset 1', '## Changeset 2' })")
        n.must(both, 600, "both changesets reviewed in the file's window")
    finally:
        n.close()
