"""The evaluation gate: extraction on the shared hand-read corpus may not fall below its floors.

The corpus is third-party text kept beside the repository (../shared/corpus); it is read from
there, never copied in. Where it is absent the gate skips, saying so.
"""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from releasewatch.pipeline import extract_to_dir

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SCORER = SHARED / "tools" / "score.py"
FLOORS = tomllib.loads((Path(__file__).parent / "eval_floors.toml").read_text(encoding="utf-8"))


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("releasewatch_eval_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def predictions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records of every article of the shared corpus folders, extracted once."""
    if not CORPUS.is_dir() or not SCORER.is_file():
        pytest.skip(f"{CORPUS} or {SCORER} absent: the hand-read corpus lives beside the repo")
    out = tmp_path_factory.mktemp("eval")
    texts = sorted(p for folder in FLOORS["floors"] for p in (CORPUS / folder).glob("*.txt"))
    report = extract_to_dir(texts, out)
    assert not report.problems, report.problems
    return out


@pytest.mark.parametrize("folder", sorted(FLOORS["floors"]))
def test_extraction_holds_its_floor(folder: str, predictions: Path) -> None:
    floor = FLOORS["floors"][folder]
    result = _scorer().score(CORPUS / folder, predictions)
    got = {"event_f1": result["events"]["f1"], "slot_f1": result["slots"]["f1"]}
    for key, value in got.items():
        assert value >= floor[key] - FLOORS["tolerance"], (
            f"{folder}: {key} {value:.3f} fell below the floor {floor[key]:.3f}"
        )
