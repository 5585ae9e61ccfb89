from __future__ import annotations

from asa2render.masking import Redactor, mask_credential_id, mask_partner_tag


def test_partner_tag_keeps_two_characters_and_suffix() -> None:
    assert mask_partner_tag("mytag-21") == "my*****-21"
    assert mask_partner_tag("mylongertag-20").startswith("my") and mask_partner_tag(
        "mylongertag-20"
    ).endswith("-20")
    assert "longer" not in mask_partner_tag("mylongertag-20")
    assert mask_partner_tag(None) == ""


def test_credential_id_shows_last_four() -> None:
    assert mask_credential_id("amzn1.application-oa2-client.abcd1234") == "****1234"
    assert mask_credential_id("abc") == "****"


def test_redactor_masks_every_known_value_longest_first() -> None:
    redact = Redactor(
        {
            "s3cret": "secret",
            "s3cret-longer": "secret",
            "abcd1234wxyz": "credential_id",
            "mytag-21": "partner_tag",
        }
    )
    text = redact("id abcd1234wxyz tag mytag-21 secrets s3cret-longer s3cret")
    assert text == "id ****wxyz tag my*****-21 secrets ******** ********"
