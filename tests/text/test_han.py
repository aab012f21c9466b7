"""Chinese names are read by their pinyin, one word per character, and meet the lists'
pinyin names. Sentences written for the tests; entries as OFAC writes them."""

from __future__ import annotations

from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.text.han import readings, spaced, syllables
from sanctionwatch.text.tokens import tokenize
from sanctionwatch.types import Entity, Watchlist


def test_characters_are_words_read_in_context_with_offsets_on_the_characters():
    text = "美国制裁长沙天仪(Spacety)。"
    tokens = tokenize(text)
    assert tokens.words[:8] == ["Mei", "Guo", "Zhi", "Cai", "Chang", "Sha", "Tian", "Yi"]
    assert [text[a:b] for a, b, _ in tokens][4:9] == ["长", "沙", "天", "仪", "Spacety"]
    assert readings("长沙") == ("Chang", "Sha")  # the city, not "zhang sha"


def test_listed_pinyin_is_split_into_syllables_and_english_is_not():
    assert syllables("changgen") == ("chang", "gen")
    assert syllables("shuokang") == ("shuo", "kang")
    assert syllables("technology") is None and syllables("smith") is None
    assert spaced("瓦格纳集团") == " Wa Ge Na Ji Tuan "


WATCHLIST = Watchlist((
    Entity("ofac_sdn:40477", "organization",
           "CHANGSHA TIANYI SPACE SCIENCE AND TECHNOLOGY RESEARCH INSTITUTE CO. LTD",
           aliases=("CHANG SHA TIAN YI KONG JIAN KE JI YAN JIU YUAN YOU XIAN GONG SI",),
           countries=("CN",)),
    Entity("ofac_sdn:41299", "organization", "WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD",
           countries=("CN",)),
    Entity("ofac_sdn:41298", "person", "YAO, Huatao", countries=("CN",)),
    Entity("wagner-group", "organization", "PMC WAGNER", aliases=("瓦格纳集团",)),
))


def found(text: str) -> list[tuple[str, str]]:
    return [(m.matched, m.entity_id) for m in Matcher(WATCHLIST).find(text)]


def test_chinese_names_in_running_chinese_text():
    assert found("长沙天仪空间科技研究院有限公司被指向瓦格纳集团提供卫星图像。") == [
        ("长沙天仪空间科技研究院有限公司", "ofac_sdn:40477"), ("瓦格纳集团", "wagner-group")]
    assert found("美方称武汉硕康生物科技有限公司出售芬太尼前体。") == [
        ("武汉硕康", "ofac_sdn:41299")]
    assert found("该公司老板姚华涛也被列入名单。") == [("姚华涛", "ofac_sdn:41298")]


def test_the_same_syllables_in_ordinary_words_are_no_name():
    assert found("武汉的天气很好，长沙也一样。") == []
    assert found("他姚了一下") == []


def test_one_or_two_characters_are_no_listed_pinyin_name():
    """"上" reads Shang (ZHANG's key), 成立 Cheng Li: Chinese writes a name in three."""
    wl = Watchlist((Entity("ofac_sdn:16318", "person", "ZHANG, Lei", countries=("CN",),
                           programs=("SDNTK",)),
                    Entity("ofac_sdn:11284", "person", "LI, Cheng Yu", countries=("CN",),
                           programs=("SDNTK",))))
    text = "该公司于2015年成立，在史上最大的毒品制裁案中被列入名单，市场震动。"
    assert Matcher(wl).find(text) == []
