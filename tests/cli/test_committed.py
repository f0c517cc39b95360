"""`lqls check` on a feature branch reports a changeset edited since the default branch, unless told
not to or unable to run git."""
import json
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
LQLS = os.environ.get("LQLS_BIN", str(ROOT / "target" / "release" / "lqls"))

CHANGELOG = """--liquibase formatted sql

--changeset ann:1
create table person (id int);
--rollback drop table person;
"""


def git(cwd, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)},
    )


def codes(tmp_path, *flags, env=None):
    out = subprocess.run(
        [LQLS, "check", "--format", "json", *flags, "changelog.sql"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=30,
    )
    assert out.returncode in (0, 1), out.stderr
    return [d["code"] for d in json.loads(out.stdout)]


def test_committed_edit_on_a_feature_branch(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "changelog.sql").write_text(CHANGELOG, encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "one")
    assert "edited-committed-changeset" not in codes(tmp_path)
    git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "changelog.sql").write_text(CHANGELOG.replace("(id int)", "(id bigint)"), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "edit")
    assert codes(tmp_path).count("edited-committed-changeset") == 1
    assert "edited-committed-changeset" not in codes(tmp_path, "--no-git")
    # No git on the PATH: silent, and no crash.
    assert "edited-committed-changeset" not in codes(tmp_path, env={**os.environ, "PATH": ""})
