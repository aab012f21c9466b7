"""Designation and support in Arabic and Chinese: the rule patterns written in those scripts
run on the original text (the fold transliterates both). Each shape has its negative
neighbour: a denial, "not", opposing sanctions. Sentences written for the tests; watchlist:
entries as OFAC writes them (Latin script only)."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.text.sentences import split_sentences
from sanctionwatch.types import Entity, Watchlist

TIAN = "ofac_sdn:28263"
RADA = "ofac_sdn:44499"
SAMER = "ofac_sdn:44522"
WATCHLIST = Watchlist((
    Entity(TIAN, "person", "TIAN, Yinyin", countries=("CN",), programs=("CYBER2", "DPRK3")),
    Entity(RADA, "person", "RADA, Amer Mohamed Akil", programs=("SDGT",)),
    Entity(SAMER, "person", "RADA, Samer Akil", programs=("SDGT",)),
))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def designations(analyzer, text: str) -> set[tuple[str, str]]:
    return {(i.role("target"), i.phase) for i in analyzer.analyze(text).intents
            if i.type == "designation"}


@pytest.mark.parametrize(("text", "phase"), [
    ("美国财政部宣布制裁田寅寅。", "effective"),
    ("田寅寅已被美国列入制裁名单。", "effective"),
    ("美国财政部将田寅寅列入特别指定国民名单。", "effective"),
    ("美国决定解除对田寅寅的制裁。", "lifted"),
    ("فرضت وزارة الخزانة الأمريكية عقوبات على عامر محمد عقيل رضا.", "effective"),
    ("وقالت الوزارة إن عامر محمد عقيل رضا المدرج على قائمة العقوبات يقيم في كولومبيا.",
     "effective"),
    ("رفعت وزارة الخزانة العقوبات عن عامر محمد عقيل رضا.", "lifted"),
])
def test_designations_in_arabic_and_chinese(analyzer, text, phase):
    target = TIAN if "田" in text else RADA
    assert designations(analyzer, text) == {(target, phase)}


@pytest.mark.parametrize("text", [
    "中方反对美方制裁田寅寅。",                                  # opposing sanctions
    "田寅寅并未被列入制裁名单。",                                # not listed
    "لم تفرض وزارة الخزانة عقوبات على عامر محمد عقيل رضا.",      # did not impose
    "ودعا نواب إلى فرض عقوبات على عامر محمد عقيل رضا.",         # a call for sanctions
])
def test_their_negative_neighbours_raise_nothing(analyzer, text):
    assert designations(analyzer, text) == set()


def test_arabic_on_behalf_of_names_the_supporter_before_it(analyzer):
    text = "قالت الوزارة إن سامر عقيل رضا يعمل لصالح عامر محمد عقيل رضا."
    found = {(i.role("target"), i.role("supporter")) for i in analyzer.analyze(text).intents
             if i.type == "support_network"}
    assert found == {(RADA, SAMER)}


def test_chinese_sentences_end_without_a_space():
    text = ("美国财政部宣布制裁两家企业。美方称，他们“违反了规定。”中方回应说？好的！"
            "هل هذا صحيح؟ نعم.")
    assert [s.text for s in split_sentences(text)] == [
        "美国财政部宣布制裁两家企业。", "美方称，他们“违反了规定。”", "中方回应说？", "好的！",
        "هل هذا صحيح؟", "نعم."]


def test_an_arabic_list_after_the_trigger_is_designated_name_by_name(analyzer):
    text = "فرضت وزارة الخزانة الأمريكية عقوبات على عامر محمد عقيل رضا، وسامر عقيل رضا."
    assert designations(analyzer, text) == {(RADA, "effective"), (SAMER, "effective")}


def test_the_reason_for_an_arabic_listing_names_no_second_designee(analyzer):
    """"… accusing him of running the finances of Samer …": Samer is not listed by it."""
    text = ("أدرجت وزارة الخزانة الأميركية عامر محمد عقيل رضا على قائمتها، متهمة إياه بإدارة "
            "الشؤون المالية لسامر عقيل رضا.")
    assert designations(analyzer, text) == {(RADA, "effective")}
