from inbeeld.core import access
from inbeeld.core.access import Need


def test_member_sees_involved_person_file(member, person):
    assert access.person_for(member, person.pk, Need.READ_FILE).person == person


def test_outsider_gets_not_found(outsider, person):
    import pytest
    from django.http import Http404

    with pytest.raises(Http404):
        access.person_for(outsider, person.pk, Need.READ_CORE)
