"""The benchmark's Zendesk conversion and its ``--profiles`` mode (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import bench, modes, targets
from benchmarks.export_profile import convert_file
from benchmarks.harness import CommandFactory

CANONICAL = (
    "ticket_id,customer_id,subject,description,priority,status,"
    "created_date,resolved_date,assigned_to\r\n"
    "T1,C1,Login,,Critical,Open,2024-01-05,,\r\n"
    'T2,C2,"Refund, please",two,MEDIUM,in-progress,2024-02-29,,Ann\r\n'
    "T3,C3,Printer,x,P1,Resolved,12/01/2024,2024-03-31,Bo\r\n"
    "T4,C4,Ragged,too,many,Low,Closed,2024-01-01,2024-01-02,Cy\r\n"
    "T5,C5,Late,,low,Closed,2024-02-30,2024-03-01,Cy\r\n"
    "T6,C6,Open,,High,open,2024-06-01,,Ann\r\n"
    "T7,C7,Wait,,Low,In Progress,2024-06-02,,Bo\r\n"
)

ZENDESK = (
    "Id,Subject,Description,Status,Priority,Requester id,Assignee,Created at,"
    "Solved at\r\n"
    # record 1: unassigned open -> new; minute 7919 % 1440 = 719 -> 11:59
    "T1,Login,,new,urgent,C1,,2024-01-05 11:59,\r\n"
    # record 2: minute 15838 % 1440 = 1438 -> 23:58
    'T2,"Refund, please",two,pending,normal,C2,Ann,2024-02-29 23:58,\r\n'
    # record 3: P1 and 12/01/2024 stay; minute 23757 % 1440 = 717, solved
    # 717 + 393 % 723 = 1110 -> 18:30
    "T3,Printer,x,solved,P1,C3,Bo,12/01/2024,2024-03-31 18:30\r\n"
    # record 4: ten fields, copied as they were
    "T4,C4,Ragged,too,many,Low,Closed,2024-01-01,2024-01-02,Cy\r\n"
    # record 5: 2024-02-30 stays; minute 39595 % 1440 = 715, solved
    # 715 + 655 % 725 = 1370 -> 22:50
    "T5,Late,,closed,low,C5,Cy,2024-02-30,2024-03-01 22:50\r\n"
    # record 6: minute 47514 % 1440 = 1434 -> 23:54
    "T6,Open,,open,high,C6,Ann,2024-06-01 23:54,\r\n"
    # record 7: in progress, 7 % 7 == 0 -> hold; minute 55433 % 1440 = 713
    "T7,Wait,,hold,low,C7,Bo,2024-06-02 11:53,\r\n"
)


def test_a_canonical_file_as_zendesk_exports_it(tmp_path: Path) -> None:
    source, target = tmp_path / "canonical.csv", tmp_path / "zendesk.csv"
    source.write_bytes(CANONICAL.encode())
    assert convert_file(source, target, "zendesk") == 7
    assert target.read_bytes().decode() == ZENDESK


def test_a_file_without_the_canonical_header_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "other.csv"
    source.write_text("Id,Subject\r\n1,x\r\n", encoding="utf-8")
    with pytest.raises(ValueError, match="canonical header"):
        convert_file(source, tmp_path / "out.csv", "zendesk")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(("zendesk_sleep", "exit_code"), [(1.0, 1), (0.0, 0)])
def test_profiles_mode_reports_the_ratio_to_the_canonical_run(
    zendesk_sleep: float,
    exit_code: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def sleeping(seconds: float) -> CommandFactory:
        return lambda csv_path, out_dir: [
            sys.executable, "-c", f"import time; time.sleep({seconds})"
        ]  # fmt: skip

    monkeypatch.setattr(modes, "ticket_analysis_command", sleeping(0.3))
    monkeypatch.setattr(modes, "zendesk_command", sleeping(zendesk_sleep))
    monkeypatch.setattr(modes, "require_ticket_analysis_cli", lambda: None)
    monkeypatch.setattr(targets, "PROFILE_ROWS", 60)
    argv = ["--profiles", "--profile-rows", "60", "--runs", "1", "--warmup", "0"]
    code = bench.main([*argv, "--data-dir", str(tmp_path), "--strict"])
    out = capsys.readouterr().out
    assert code == exit_code
    verdict = "MISS" if exit_code else "PASS"
    assert f"target: --source zendesk wall ≤ 1.15× {verdict} (measured " in out
    (export,) = tmp_path.glob("tickets_60_seed0_defects0.02_*_zendesk_*.csv")
    assert export.read_text(encoding="utf-8").startswith("Id,Subject,Description,")
