from rules import checklists as rules


def _all_met(data, but=()):
    answers = {}
    for group in data["groups"]:
        for item in group["criteria"]:
            if item["key"] in but:
                continue
            answers[item["key"]] = {"met": True, "value": 100} if item.get("thresholds") else {"met": True}
    return answers


def test_levels_follow_the_decision_bounds():
    assert [rules.level_of(p) for p in (0, 49.9, 50, 75, 75.5, 100)] == [1, 1, 2, 2, 3, 3]


def test_both_groups_score_100_when_every_criterion_is_met():
    # The published management list sums to 90; the e-office criterion (to be checked against the
    # decision's table) completes it, as the Ministry's two groups of 100 points require.
    full = rules.score(rules.DT_INDEX, _all_met(rules.DT_INDEX))
    assert [(s.key, s.points, s.level, s.missing) for s in full] == [
        ("teaching", 100.0, 3, ()),
        ("management", 100.0, 3, ()),
    ]


def test_a_missing_mandatory_condition_holds_the_group_at_level_1_unless_the_setting_is_off():
    answers = _all_met(rules.DT_INDEX, but=("online_plan",))
    teaching = rules.score(rules.DT_INDEX, answers)[0]
    assert (teaching.points, teaching.level, teaching.missing) == (
        100.0,
        1,
        ("Có kế hoạch dạy học trực tuyến",),
    )
    relaxed = {**rules.DT_INDEX, "mandatory_blocks_level": False}
    assert rules.score(relaxed, answers)[0].level == 3


def test_thresholds_give_part_of_the_points():
    item = {
        "key": "x",
        "label": "x",
        "points": 7,
        "thresholds": [{"at": 50, "points": 4}, {"at": 80, "points": 7}],
    }
    assert [rules.criterion_points(item, {"value": v}) for v in (10, 50, 79, 80, 100)] == [0, 4, 4, 7, 7]
    assert rules.criterion_points(item, {"met": True}) == 0


def test_check_finds_bad_checklists():
    assert rules.check(rules.DT_INDEX) == [] and rules.check(rules.IT_MODEL) == []
    assert rules.check({"groups": []}) == ["shape"]
    bad = {
        "groups": [
            {
                "key": "g",
                "label": "g",
                "criteria": [{"key": "a", "label": "A", "points": 200}, {"key": "a", "label": "B"}],
            }
        ]
    }
    assert rules.check(bad) == ["points", "duplicate"]
