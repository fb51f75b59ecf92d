"""The digital-transformation index's management group summed to 90 points in the version first shipped
(rules/digital-transformation.md: one criterion lost in the published retelling). Every department's latest
version that still has that shape gets a new version with the 10-point criterion that `rules.checklists`
now ships; versions schools assessed against stay as they were, and a department's own edits (any other
sum, or the criterion already there) are left alone."""

import copy

from django.db import migrations
from django.utils import timezone

# A copy, not an import: a migration must keep meaning what it meant when it was written.
ADDED = {
    "key": "sw_eoffice",
    "label": "Quản lý văn bản, điều hành trên môi trường mạng (văn phòng điện tử)",
    "points": 10,
    "mandatory": False,
    "note": "Tiêu chí bổ sung cho đủ 100 điểm; chưa đối chiếu bảng gốc của Quyết định 4725/QĐ-BGDĐT, "
    "phòng/sở sửa lại khi có văn bản.",
}


def _points(group):
    return sum(c.get("points", 0) for c in group.get("criteria", []) if not c.get("mandatory"))


def complete_management_group(apps, schema_editor):
    Checklist = apps.get_model("reporting", "Checklist")
    latest = {}
    for checklist in Checklist.objects.filter(kind="dt_index").order_by("owner_id", "-version"):
        latest.setdefault(checklist.owner_id, checklist)
    for checklist in latest.values():
        data = copy.deepcopy(checklist.data or {})
        groups = [g for g in data.get("groups", []) if isinstance(g, dict)]
        management = next((g for g in groups if g.get("key") == "management"), None)
        keys = {c.get("key") for g in groups for c in g.get("criteria", []) if isinstance(c, dict)}
        if management is None or ADDED["key"] in keys or _points(management) != 90:
            continue
        criteria = management["criteria"]
        after = next(
            (i + 1 for i, c in enumerate(criteria) if c.get("key") == "sw_accounting"), len(criteria)
        )
        criteria.insert(after, dict(ADDED))
        Checklist.objects.create(
            owner_id=checklist.owner_id,
            kind=checklist.kind,
            version=checklist.version + 1,
            data=data,
            created_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_checklist_assessment_plancycle_and_more")]

    operations = [migrations.RunPython(complete_management_group, migrations.RunPython.noop)]
