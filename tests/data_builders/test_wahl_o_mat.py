"""The Wahl-O-Mat builder on the real files: counts per election, hand-read positions, bad copies."""

import json
from collections import Counter

import pytest

from opinionbench.data_builders import wahl_o_mat

# ../shared/data/wahl_o_mat/PROVENANCE.md, "Counts":
# year: (date, theses, parties, opinions, agree, disagree, neutral, comments)
COUNTS = {
    2002: ("2002-09-22", 27, 5, 135, 53, 72, 10, 0),
    2005: ("2005-09-18", 30, 5, 150, 66, 72, 12, 150),
    2009: ("2009-09-27", 38, 24, 912, 425, 367, 120, 912),
    2013: ("2013-09-22", 38, 28, 1064, 531, 407, 126, 1064),
    2017: ("2017-09-24", 38, 32, 1216, 571, 487, 158, 1216),
    2021: ("2021-09-26", 38, 38, 1444, 676, 563, 205, 1444),
    2025: ("2025-02-23", 38, 28, 1064, 497, 445, 122, 1064),
}
PARTIES_2025 = [
    "SPD",
    "CDU / CSU",
    "GRÜNE",
    "FDP",
    "AfD",
    "Die Linke",
    "SSW",
    "FREIE WÄHLER",
    "Tierschutzpartei",
    "dieBasis",
    "Die PARTEI",
    "Die Gerechtigkeitspartei - Team Todenhöfer",
    "PIRATEN",
    "Volt",
    "ÖDP",
    "Verjüngungsforschung",
    "PdH",
    "Bündnis C",
    "BP",
    "MLPD",
    "MENSCHLICHE WELT",
    "PdF",
    "SGP",
    "BüSo",
    "BÜNDNIS DEUTSCHLAND",
    "BSW",
    "MERA25",
    "WerteUnion",
]


def _position(row: dict, party: str) -> tuple[str, str | None]:
    index = row["parties"].index(party)
    return row["party_positions"][index], row["party_comments"][index]


def test_one_config_per_bundestag_election_newest_first(wahl_o_mat_build):
    assert list(wahl_o_mat_build.configs) == [f"bundestag_{year}" for year in sorted(COUNTS, reverse=True)]
    assert wahl_o_mat_build.default_config == "bundestag_2025"


@pytest.mark.parametrize("year", sorted(COUNTS))
def test_counts_per_election_match_the_provenance(wahl_o_mat_build, year):
    date, theses, parties, opinions, agree, disagree, neutral, comments = COUNTS[year]
    rows = wahl_o_mat_build.configs[f"bundestag_{year}"].to_list()
    assert len(rows) == theses
    assert [row["id"] for row in rows] == [f"wahl_o_mat-{year}-{n:02d}" for n in range(1, theses + 1)]
    assert {(row["election"], row["election_date"]) for row in rows} == {(f"bundestag_{year}", date)}
    assert {len(row["parties"]) for row in rows} == {parties}
    positions = Counter(position for row in rows for position in row["party_positions"])
    assert positions == {"agree": agree, "disagree": disagree, "neutral": neutral}
    assert sum(positions.values()) == opinions
    assert sum(comment is not None for row in rows for comment in row["party_comments"]) == comments
    assert all(row["options"] == ["Stimme zu", "Neutral", "Stimme nicht zu"] for row in rows)
    assert {row["language"] for row in rows} == {"de"}


def test_hand_read_positions_2025(wahl_o_mat_build):
    rows = wahl_o_mat_build.configs["bundestag_2025"].to_list()
    assert rows[0]["parties"] == PARTIES_2025
    assert rows[0]["party_long_names"][25] == "Bündnis Sahra Wagenknecht – Vernunft und Gerechtigkeit"
    speed_limit = rows[3]  # statement.json id 3
    assert speed_limit["label"] == "Tempolimit auf Autobahnen"
    assert speed_limit["statement"] == "Auf allen Autobahnen soll ein generelles Tempolimit gelten."
    # opinion.json: id 155 (party 4, answer 1), id 953 (party 25, answer 1), id 79 (party 2, answer 0, comment 79)
    assert _position(speed_limit, "AfD")[0] == "disagree"
    assert _position(speed_limit, "BSW")[0] == "disagree"
    position, comment = _position(speed_limit, "GRÜNE")
    assert position == "agree"
    assert comment.startswith('"Als einziges Land weltweit erlaubt Deutschland das unbegrenzte Rasen auf Autobahnen')
    # opinion.json id 24: party 0 (SPD), statement 24 (35-Stunden-Woche), answer 2, comment 24
    position, comment = _position(rows[24], "SPD")
    assert rows[24]["label"] == "35-Stunden-Woche" and position == "neutral"
    assert comment.startswith('"Die SPD unterstützt branchenspezifische Lösungen')


def test_hand_read_rows_of_other_years(wahl_o_mat_build):
    first_2021 = wahl_o_mat_build.configs["bundestag_2021"][0]  # opinion.json id 0: party 0, answer 1
    assert first_2021["label"] == "Tempolimit auf Autobahnen" and _position(first_2021, "CDU / CSU")[0] == "disagree"
    rows_2005 = wahl_o_mat_build.configs["bundestag_2005"]
    assert rows_2005[0]["category"] == "Umwelt, Energie und Verkehr"  # statement 0 -> category.json id 0
    assert rows_2005[4]["category"] == "Außenpolitik und Europa"  # statement 4 -> category 2
    assert set(wahl_o_mat_build.configs["bundestag_2025"]["category"]) == {None}
    assert {c for comments in wahl_o_mat_build.configs["bundestag_2002"]["party_comments"] for c in comments} == {None}


def _json_edit(edit):
    """A text edit that parses the JSON document, applies ``edit`` and writes it back."""
    return lambda text: json.dumps(edit(json.loads(text)), ensure_ascii=False)


OPINIONS_2025 = "data/2025/deutschland/opinion.json"


def test_bad_json_is_named_with_file_and_line(build_error):
    message = build_error(
        wahl_o_mat, f"upstream/{OPINIONS_2025}", lambda text: text.replace('"answer":0,', '"answer":0', 1)
    )
    assert message.startswith(f"{OPINIONS_2025}: not valid JSON at line 2, column")


def test_a_missing_opinion_pair_is_named(build_error):
    drop_155 = _json_edit(lambda opinions: [o for o in opinions if o["id"] != 155])
    message = build_error(wahl_o_mat, f"upstream/{OPINIONS_2025}", drop_155)
    assert f"{OPINIONS_2025}: party 4 (AfD), statement 3: missing opinion" in message
    assert "1 problem(s)" in message


def test_a_duplicate_opinion_pair_is_named(build_error):
    repeat_155 = _json_edit(lambda opinions: [*opinions, {**opinions[155], "id": 5000}])
    message = build_error(wahl_o_mat, f"upstream/{OPINIONS_2025}", repeat_155)
    assert (
        f"{OPINIONS_2025}: element 1064: duplicate opinion (party 4 on statement 3 is also given at element 155)"
        in (message)
    )


def test_unknown_ids_are_named_with_file_and_element(build_error):
    def break_ids(opinions):
        opinions[5]["party"] = 99
        opinions[6]["comment"] = 99999
        opinions[7]["answer"] = 3
        return opinions

    message = build_error(wahl_o_mat, f"upstream/{OPINIONS_2025}", _json_edit(break_ids))
    assert f"{OPINIONS_2025}: element 5: unknown party id (party 99 is not in party.json)" in message
    assert f"{OPINIONS_2025}: element 6: unresolvable comment id (comment 99999 is not in comment.json)" in message
    assert f"{OPINIONS_2025}: element 7: unknown answer id (answer 3 is not in answer.json)" in message
    assert f"{OPINIONS_2025}: party 0 (SPD), statement 5: missing opinion" in message  # element 5's own pair


def test_a_field_of_the_wrong_type_is_named(build_error):
    string_id = _json_edit(lambda parties: [{**parties[0], "id": "0"}, *parties[1:]])
    message = build_error(wahl_o_mat, "upstream/data/2021/deutschland/party.json", string_id)
    assert "data/2021/deutschland/party.json: element 0: wrong type ('id' is \"0\", expected an integer)" in message


def test_answer_meanings_are_read_from_answer_json(source_copy, build_error):
    """Swapping the messages of ids 0 and 1 swaps agree and disagree: the codes are not assumed."""
    folder = source_copy("wahl_o_mat") / "upstream"
    answers = folder / "data/2025/deutschland/answer.json"
    swapped = {"Stimme zu": "Stimme nicht zu", "Stimme nicht zu": "Stimme zu"}
    swap = _json_edit(lambda entries: [{**a, "message": swapped.get(a["message"], a["message"])} for a in entries])
    answers.write_text(swap(answers.read_text(encoding="utf-8")), encoding="utf-8")
    rows = wahl_o_mat.build(folder / "election.json").configs["bundestag_2025"]
    positions = Counter(position for row in rows for position in row["party_positions"])
    assert positions == {"agree": 445, "disagree": 497, "neutral": 122}

    unknown = _json_edit(lambda entries: [*entries, {"id": 3, "message": "Egal"}])
    message = build_error(wahl_o_mat, "upstream/data/2025/deutschland/answer.json", unknown)
    assert "data/2025/deutschland/answer.json: element 3: unknown answer (message 'Egal' is none of" in message
