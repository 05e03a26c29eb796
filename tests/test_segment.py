"""Segmentation: exact offsets, Arabic punctuation, line kinds and boilerplate flags."""

from __future__ import annotations

import pytest

from qexplore.db.segment import KINDS, segment


def test_every_sentence_is_its_exact_slice_of_the_article(seed_texts: dict[str, str]) -> None:
    for name, text in seed_texts.items():
        sentences = segment(text)
        assert sentences, name
        previous_end = 0
        for s in sentences:
            assert text[s.start : s.end] == s.text, (name, s.seq)
            assert s.text == s.text.strip() and s.start >= previous_end
            assert s.kind in KINDS
            previous_end = s.end


def test_every_word_of_the_article_is_in_some_sentence(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        covered = "".join(s.text for s in segment(text))
        assert "".join(text.split()) == "".join(covered.split())


def test_arabic_question_mark_and_closing_quote_end_a_sentence() -> None:
    text = 'وسأل "هل تريدون حربًا؟" ثم غادر. وقال آخر، بعد ذلك، إنه لا يعلم!'
    parts = [s.text for s in segment(text)]
    assert parts == ['وسأل "هل تريدون حربًا؟"', "ثم غادر.", "وقال آخر، بعد ذلك، إنه لا يعلم!"]


def test_comma_decimal_and_ellipsis_are_no_boundary() -> None:
    text = "ارتفع المؤشر 2.5 نقطة، ثم تراجع.. واستقر عند المستوى ذاته."
    assert [s.text for s in segment(text)] == [text]


def test_a_sentence_cut_by_a_stray_newline_is_joined(seed_texts: dict[str, str]) -> None:
    text = "وقال مسؤول في\nالمكتب السياسي إن الرجلين حاولا إقناعه. وانتهى اللقاء."
    parts = segment(text)
    assert parts[0].text == "وقال مسؤول في\nالمكتب السياسي إن الرجلين حاولا إقناعه."
    joined = [s for t in seed_texts.values() for s in segment(t) if "\n" in s.text]
    assert joined and all(s.kind == "body" for s in joined)


def test_line_kinds_headline_byline_subhead_pullquote() -> None:
    text = (
        "عنوان الخبر الرئيسي عن الزيارة\n\n"
        "بغداد -رويترز\n"
        "قال مسؤولون إن الوفد وصل صباح اليوم إلى العاصمة. وعقد اجتماعات عدة.\n"
        "خلفيات الزيارة\n"
        "رويترز: الوفد حمل رسالة حازمة\n"
        "وأضاف المسؤولون أن الرسالة وصلت."
    )
    kinds = [(s.kind, s.text) for s in segment(text)]
    assert kinds[0] == ("headline", "عنوان الخبر الرئيسي عن الزيارة")
    assert kinds[1] == ("byline", "بغداد -رويترز")
    assert [k for k, _ in kinds[2:4]] == ["body", "body"]
    assert kinds[4] == ("subhead", "خلفيات الزيارة")
    assert kinds[5] == ("pullquote", "رويترز: الوفد حمل رسالة حازمة")
    assert kinds[6][0] == "body"


@pytest.mark.parametrize(
    "line",
    ["اقرأ/ي أيضًا: سقوط طائرة مسيرة", "اقرأ أيضاً: خبر آخر", "تصنيفات", "قصص قد تهمك", "back to top"],
)
def test_boilerplate_lines_are_kept_and_flagged(line: str) -> None:
    text = f"جاء الوفد إلى بغداد ظهرا.\n{line}\nوغادر الوفد مساء."
    sentences = segment(text)
    flagged = [s for s in sentences if s.boilerplate]
    assert [s.text for s in flagged] == [line] and flagged[0].kind == "boilerplate"
    assert not any(s.boilerplate for s in sentences if s.text != line)


def test_links_listed_after_a_read_also_label_are_boilerplate() -> None:
    text = "وصل الوفد.\nاقرأ/ي أيضًا:\nرابط أول لخبر قديم\nرابط ثان لخبر آخر"
    assert [s.boilerplate for s in segment(text)] == [False, True, True, True]


def test_seed_boilerplate_and_repeated_captions_are_flagged(seed_texts: dict[str, str]) -> None:
    flagged = {s.text for t in seed_texts.values() for s in segment(t) if s.boilerplate}
    assert {"تصنيفات", "قصص قد تهمك", "back to top"} <= flagged
    assert sum(t.startswith("اقرأ/ي أيضًا") for t in flagged) == 4
    for text in seed_texts.values():
        seen: set[str] = set()
        for s in segment(text):
            if s.text in seen:  # a repeated line (the seeds repeat photo captions)
                assert s.boilerplate
            seen.add(s.text)
