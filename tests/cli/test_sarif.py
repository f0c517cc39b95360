"""`lqls check --format sarif` validated against the official SARIF 2.1.0 JSON schema.

The schema is taken at test time from an npm package that ships it (`@microsoft/jest-sarif`, file
`lib/schemas/sarif-2.1.0-rtm.5.json`, the OASIS 2.1.0 final schema) and cached under target/; it is
never committed.
"""
import json
import os
import pathlib
import shutil
import subprocess
import tarfile

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LQLS = os.environ.get("LQLS_BIN", str(ROOT / "target" / "release" / "lqls"))
CACHE = ROOT / "target" / "sarif-schema"
PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"

CHANGELOG = """<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="a">
    <!-- lqls-disable-next-line LB101 -->
    <sql>select 1</sql>
  </changeSet>
  <changeSet id="2" author="a">
    <dropColumn tableName="person" columnName="nickname"/>
  </changeSet>
  <changeSet id="2" author="a">
    <sql>select 2</sql>
  </changeSet>
</databaseChangeLog>
"""


def sarif_schema() -> dict:
    schema = CACHE / "sarif-schema-2.1.0.json"
    if not schema.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is needed to fetch the SARIF schema package")
        CACHE.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            [npm, "pack", PACKAGE, "--pack-destination", str(CACHE), "--json"],
            check=True, capture_output=True, text=True, timeout=300,
        )
        tarball = CACHE / json.loads(out.stdout)[0]["filename"].replace("@", "").replace("/", "-")
        if not tarball.exists():  # npm's naming of scoped tarballs differs between versions
            tarball = next(CACHE.glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            data = tar.extractfile(MEMBER).read()
        schema.write_bytes(data)
    return json.loads(schema.read_text(encoding="utf-8"))


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path):
    (tmp_path / "changelog.xml").write_text(CHANGELOG, encoding="utf-8")
    (tmp_path / "lqls.toml").write_text('[rules]\nLB101 = "warning"\nno-such-rule = "off"\n', encoding="utf-8")
    run = subprocess.run([LQLS, "check", "--format", "sarif", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    log = json.loads(run.stdout)

    schema = sarif_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:20])

    driver = log["runs"][0]["tool"]["driver"]
    rules = driver["rules"]
    results = log["runs"][0]["results"]
    by_id = {r["ruleId"]: r for r in results}
    assert {"LB101", "unused-suppression", "duplicate-changeset", "invalid-config"} <= set(by_id), set(by_id)
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    lb101 = rules[by_id["LB101"]["ruleIndex"]]
    assert lb101["name"] == "change-drop-column-warn"
    assert lb101["shortDescription"]["text"]
    assert lb101["helpUri"].endswith("/LB101.md")
    assert lb101["defaultConfiguration"]["level"] == "warning"
    fix = by_id["unused-suppression"]["fixes"][0]
    assert fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == ""
