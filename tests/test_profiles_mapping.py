"""``--mapping FILE``: a user's own import profile, and the mapping files refused.

A bad mapping file is a usage error: exit 2, one line naming the file and the
key, nothing written, and the input is not even read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ticket_analysis.cli import main
from ticket_analysis.exceptions import UsageError
from ticket_analysis.ingest.loader import load_tickets
from ticket_analysis.ingest.profiles import builtin_profile, load_mapping

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
PRACTICE = FIXTURES / "practice_dataset.csv"
PRACTICE_MAPPING = FIXTURES / "practice.toml"
JIRA = FIXTURES / "jira_export.csv"


def test_the_readme_mapping_reads_the_practice_dataset(tmp_path: Path) -> None:
    """The README's nine-line mapping on the public practice dataset's columns.

    9 records (lines 2-10). Tickets 6 and 7 (lines 7, 8) have no
    First_Response_Time, the mapped created_date: rejected. Ticket 9 has no
    Customer_Email: its customer is its Customer_Name. ``Pending Customer
    Response`` (tickets 1, 2, 9) is mapped to In Progress: 3 warnings. Tickets
    3, 4, 5 are Closed the same day they were answered: 0 days each. No column
    names an agent, so all 7 are unassigned.
    """
    assert len(PRACTICE_MAPPING.read_text(encoding="utf-8").splitlines()) < 10
    out = tmp_path / "out"
    args = ["--input", str(PRACTICE), "--mapping", str(PRACTICE_MAPPING)]
    assert main([*args, "--output-dir", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    quality = summary["data_quality"]
    assert summary["source"]["profile"] == "practice.toml"
    assert (quality["records_read"], quality["rows_valid"]) == (9, 7)
    assert (quality["rows_rejected"], quality["rows_with_warnings"]) == (2, 3)
    assert quality["issues"]["missing_required_field"] == 2
    assert quality["issues"]["normalized_value"] == 3
    assert quality["missing_optional_columns"] == ["description", "assigned_to"]
    assert summary["summary"] == {
        "total_tickets": 7,
        "open_tickets": 4,
        "resolved_tickets": 3,
        "unassigned_tickets": 7,
        "avg_resolution_days": 0.0,
        "median_resolution_days": 0.0,
    }
    assert summary["status_counts"] == {
        "Open": 1,
        "In Progress": 3,
        "Resolved": 0,
        "Closed": 3,
    }
    rejected = (out / "rejected_rows.csv").read_text(encoding="utf-8").splitlines()
    assert rejected[0] == (
        "line_number,reasons,Ticket_ID,Customer_Name,Customer_Email,Ticket_Subject,"
        "Ticket_Status,Ticket_Priority,First_Response_Time,Time_to_Resolution,"
        "raw_record"
    )
    assert [line.split(",")[0] for line in rejected[1:]] == ["7", "8"]
    result = load_tickets(PRACTICE, mapping=PRACTICE_MAPPING)
    customers = result.tickets.set_index("ticket_id")["customer_id"]
    assert customers["9"] == "Nicolas Wilson"
    assert customers["1"] == "marisa@example.com"


def test_a_mapping_names_its_file_in_unmapped_value_messages(tmp_path: Path) -> None:
    """An unmapped value under a --mapping file points at that file."""
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(
        "Key,Who,Urgency,State,Opened\nA-1,c1,High,Parked,2024-05-02 10:00\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        '[columns]\nticket_id = "Key"\ncustomer_id = "Who"\npriority = "Urgency"\n'
        'status = "State"\ncreated_date = "Opened"\n',
        encoding="utf-8",
    )
    issues = load_tickets(csv_path, mapping=mapping).issues
    assert issues["message"].tolist() == [
        "status 'Parked' is not one of Open, In Progress, Resolved, Closed, and the "
        "mapping mine.toml does not map it: add it under [values.status] in mine.toml"
    ]


def test_a_column_a_mapping_leaves_out_keeps_its_canonical_name(
    tmp_path: Path,
) -> None:
    """Only the columns that differ need a line: the rest match by canonical name."""
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(
        "Number,customer_id,priority,status,Opened on,Assigned To\n"
        "7,C1,High,Open,2024-05-02T10:00:00+02:00,Ann\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "short.toml"
    mapping.write_text(
        '[columns]\nticket_id = "Number"\ncreated_date = "Opened on"\n',
        encoding="utf-8",
    )
    result = load_tickets(csv_path, mapping=mapping)
    assert result.quality.rows_valid == 1
    # "Assigned To" is assigned_to by §1's header rule.
    assert result.tickets.loc[0, "assigned_to"] == "Ann"
    assert str(result.tickets.loc[0, "created_date"]) == "2024-05-02 00:00:00"


# --- mapping files refused -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[columns\nticket_id = "Id"\n',
            " is not valid TOML: Expected ']' at the end of a table declaration "
            "(at line 1, column 9): [columns",
        ),
        (
            '[columns]\nticket = "Id"\n',
            ": [columns] ticket: not a canonical column (expected one of ticket_id, "
            "customer_id, subject, description, priority, status, created_date, "
            "resolved_date, assigned_to)",
        ),
        (
            '[values.priority]\nP1 = "Urgent"\n',
            ": [values.priority] 'P1': 'Urgent' is not a priority (expected one of "
            "Low, Medium, High, Critical)",
        ),
        (
            '[columns]\nticket_id = "Id"\nticket_id = "Key"\n',
            " is not valid TOML: Cannot overwrite a value (at line 3, column 18): "
            'ticket_id = "Key"',
        ),
        (
            '[columns]\nticket_id = "Id"\n"Ticket ID" = "Key"\n',
            ": [columns] Ticket ID: ticket_id is mapped twice",
        ),
        (
            '[columns]\ncustomer_id = "Email"\nassigned_to = ["Agent", "email"]\n',
            ": [columns] assigned_to: header 'email' is also mapped to customer_id",
        ),
    ],
    ids=[
        "not-toml",
        "unknown-column",
        "value-outside-contract",
        "column-twice",
        "column-twice-spelled-differently",
        "header-for-two-columns",
    ],
)
def test_bad_mapping_files_exit_2_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    """The four kinds the issue names (and two spellings of them): one line, exit 2."""
    mapping = tmp_path / "bad.toml"
    mapping.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["--input", str(JIRA), "--mapping", str(mapping), "--output-dir", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"ERROR: mapping file {mapping}{problem}"]
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            'name = "mine"\n',
            "name: unknown key (expected [columns], [values], datetime_formats)",
        ),
        (
            '[values.agent]\nbob = "Bob"\n',
            "[values.agent]: unknown table (expected priority, status)",
        ),
        (
            "[columns]\nticket_id = []\n",
            "[columns] ticket_id: expected a non-empty text or a list of them",
        ),
        (
            "[columns]\nticket_id = 7\n",
            "[columns] ticket_id: expected a non-empty text or a list of them",
        ),
        ("columns = 3\n", "[columns]: expected a table"),
        (
            '[values.status]\n"" = "Open"\n',
            "[values.status] '': an empty value cannot be mapped",
        ),
        (
            '[values.status]\nclosed = "Resolved"\n',
            "[values.status] 'closed': means 'Closed' already",
        ),
        (
            '[values.status]\n"on hold" = "Open"\non-hold = "In Progress"\n',
            "[values.status] 'on-hold': means 'Open' already",
        ),
        (
            'datetime_formats = ["%d/%m/%Y %j"]\n',
            "datetime_formats: '%d/%m/%Y %j': "
            "%j is not supported (use %d %m %y %Y %b %B %a %A %H %I %M %S %f %p %z %%)",
        ),
        ('datetime_formats = ["%m/%Y"]\n', "datetime_formats: '%m/%Y' needs %d"),
        (
            'datetime_formats = ["%d/%m/%Y %y"]\n',
            "datetime_formats: '%d/%m/%Y %y' takes only one of %Y or %y",
        ),
        (
            'datetime_formats = ["%d/%m/%Y %H:%H"]\n',
            "datetime_formats: '%d/%m/%Y %H:%H' uses %H twice",
        ),
        (
            'datetime_formats = ["%d/%m/%Y %"]\n',
            "datetime_formats: '%d/%m/%Y %' ends with a lone %",
        ),
        (
            '[columns]\ncustomer_id = "subject"\n',
            "[columns] customer_id: header "
            "'subject' is the canonical name of subject; map subject too",
        ),
    ],
)
def test_more_mapping_mistakes_are_named(
    tmp_path: Path, text: str, problem: str
) -> None:
    """Unknown keys and tables, empty or non-text values, unreadable formats."""
    mapping = tmp_path / "m.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_mapping(mapping)
    assert str(caught.value) == f"mapping file {mapping}: {problem}"


def test_a_missing_or_unreadable_mapping_file(tmp_path: Path) -> None:
    """A wrong path or a binary file: one line naming it."""
    with pytest.raises(UsageError) as caught:
        load_mapping(tmp_path / "nope.toml")
    assert str(caught.value) == (
        f"mapping file not found: {tmp_path / 'nope.toml'} (--mapping or "
        "TICKETS_MAPPING)"
    )
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(UsageError) as caught:
        load_mapping(binary)
    assert str(caught.value) == f"cannot read mapping file {binary}: not UTF-8 text"
    with pytest.raises(UsageError) as caught:
        load_mapping(tmp_path)
    assert str(caught.value) == f"cannot read mapping file {tmp_path}: Is a directory"


def test_source_and_mapping_together_are_refused() -> None:
    """One profile per run: --source and --mapping at once is a usage error."""
    with pytest.raises(UsageError, match="--source and --mapping both given"):
        load_tickets(JIRA, source="jira", mapping=PRACTICE_MAPPING)


def test_the_builtin_profiles_map_at_least_the_contract_tables() -> None:
    """Every header and value of contract §8's tables is in the shipped profiles."""
    zendesk, freshdesk, jira = map(builtin_profile, ("zendesk", "freshdesk", "jira"))
    assert zendesk.columns["customer_id"] == (
        "Requester id",
        "Requester email",
        "Requester",
    )
    assert freshdesk.columns["resolved_date"] == ("Resolved time", "Closed time")
    assert jira.columns["ticket_id"] == ("Issue key",)
    assert zendesk.values["priority"]["normal"] == "Medium"
    assert zendesk.values["status"]["hold"] == "In Progress"
    assert freshdesk.values["status"]["waiting on third party"] == "In Progress"
    assert {k for k, v in jira.values["status"].items() if v == "Closed"} == {
        "closed",
        "canceled",
        "cancelled",
        "declined",
    }
    assert [f.name for f in jira.formats] == ["%d/%b/%y %I:%M %p"]
    assert [f.name for f in freshdesk.formats] == ["%Y-%m-%d %H:%M:%S"]
    assert zendesk.formats == ()


def test_the_readme_shows_the_practice_mapping_as_tested() -> None:
    """The README's worked --mapping example is the file the test above reads."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    mapping = PRACTICE_MAPPING.read_text(encoding="utf-8")
    assert f"```toml\n{mapping}```" in readme
    assert len(mapping.splitlines()) < 10
