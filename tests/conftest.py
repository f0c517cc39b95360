"""Shared by the protocol and command-line tests: tests marked `needs_model` need the embedding model,
`needs_llm` the default language model (both installed by scripts/setup-models.sh). Without it they are skipped, unless LQLS_REQUIRE_MODELS=1 (as in CI), where
they run and fail."""
import os
import pathlib

import pytest

MODEL = pathlib.Path(os.environ.get("LQLS_EMBED_MODEL") or
                     pathlib.Path(os.environ.get("LQLS_MODELS", pathlib.Path.home() / ".cache/lqls/models"))
                     / "all-minilm-l6-v2")
HAVE_MODEL = (MODEL / "model.safetensors").is_file()
LLM = (pathlib.Path(os.environ.get("LQLS_MODELS", pathlib.Path.home() / ".cache/lqls/models"))
       / "smollm2-135m-instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf")
HAVE_LLM = LLM.is_file()


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_model: needs the embedding model (scripts/setup-models.sh)")
    config.addinivalue_line("markers", "needs_llm: needs the language model (scripts/setup-models.sh)")


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_model") and not HAVE_MODEL \
            and os.environ.get("LQLS_REQUIRE_MODELS") != "1":
        pytest.skip("embedding model not installed (scripts/setup-models.sh)")
    if item.get_closest_marker("needs_llm") and not HAVE_LLM \
            and os.environ.get("LQLS_REQUIRE_MODELS") != "1":
        pytest.skip("language model not installed (scripts/setup-models.sh)")


@pytest.fixture
def have_model() -> bool:
    return HAVE_MODEL
