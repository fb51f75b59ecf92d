"""Re-running a published assignment document gives the published digest, whatever the order of its keys."""

from __future__ import annotations

import json
from pathlib import Path

from rules.admission_run import distance_km, main, mask_name, rerun, result_digest, run_document


def _document() -> dict[str, object]:
    return run_document(
        campaign="1",
        seed="công-khai",
        capacity={"A": 1, "B": 1},
        preferences={"a1": ["A", "B"], "a2": ["A", "B"], "a3": ["A"]},
        groups={"a1": {"A": 2, "B": 2}, "a2": {"A": 1, "B": 2}, "a3": {"A": 2}},
    )


def test_group_one_first_then_the_lottery_and_the_same_digest_every_time() -> None:
    document = _document()
    result = rerun(document)
    assert result["a2"] == "A"  # group 1 at A beats everyone's lottery
    assert sorted(v for v in result.values() if v) == ["A", "B"]
    shuffled = json.loads(json.dumps({k: document[k] for k in reversed(list(document))}))
    assert result_digest(rerun(shuffled)) == result_digest(result)


def test_the_command_prints_the_digest(tmp_path: Path, capsys) -> None:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(_document()), encoding="utf-8")
    assert main([str(path)]) == 0
    assert result_digest(rerun(_document())) in capsys.readouterr().out


def test_masks_and_distances() -> None:
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("An") == "A."
    assert 1.0 < distance_km(10.76, 106.66, 10.77, 106.66) < 1.2
