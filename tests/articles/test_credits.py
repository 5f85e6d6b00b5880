"""split_credit(): the credit after a caption's last sentence, for every script's sentence ends and credits."""

import pytest

from articles.markdown import render, split_credit

CASES = {
    "en": [
        ("Cranes at the port. PAS", ("Cranes at the port.", "PAS")),
        ("Traders at the quay. Hong Menea/AFP", ("Traders at the quay.", "Hong Menea/AFP")),
        ("A caption with no full stop", ("A caption with no full stop", "")),
        ("Photo: AKP", ("", "Photo: AKP")),  # only a credit: stays a credit
        ("STR/AFP", ("", "STR/AFP")),
        ("Photosynthesis in leaves", ("Photosynthesis in leaves", "")),
        ("What a catch! PAS", ("What a catch!", "PAS")),
        ("Who will pay? Hong Menea/AFP", ("Who will pay?", "Hong Menea/AFP")),
        ("And then the tide came… AKP", ("And then the tide came…", "AKP")),
        ("*The port.* PAS", ("*The port.*", "PAS")),  # emphasis around the caption
        ("_The port!_ Photo: AKP", ("_The port!_", "Photo: AKP")),
        # A caption that is only an agency's name is its credit; one capitalised word or a few all-caps ones are not.
        ("AKP", ("", "AKP")),
        ("PAS", ("", "PAS")),
        ("EPA-EFE", ("", "EPA-EFE")),
        ("Reuters", ("Reuters", "")),
        ("Cranes", ("Cranes", "")),
        ("PORT OF SIHANOUKVILLE", ("PORT OF SIHANOUKVILLE", "")),
        ("A", ("A", "")),
        ("PAS.", ("PAS.", "")),
    ],
    "km": [
        ("ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ។ AKP", ("ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ។", "AKP")),
        ("ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ។ STR/AFP", ("ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ។", "STR/AFP")),
        ("កំពង់ផែ។ រូបថត៖ សុខ ហេង", ("កំពង់ផែ។", "រូបថត៖ សុខ ហេង")),
        ("ពិធីបុណ្យ៕ ស៊ិនហួ", ("ពិធីបុណ្យ៕", "ស៊ិនហួ")),
        ("ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ", ("ទិដ្ឋភាពកំពង់ផែស្វយ័តភ្នំពេញ", "")),
        ("AKP", ("", "AKP")),
        ("ស៊ិនហួ", ("ស៊ិនហួ", "")),  # a bare caseless name cannot be told from a short caption
    ],
    "zh": [
        ("工人在港口装卸货物。新华社", ("工人在港口装卸货物。", "新华社")),
        ("工人在港口装卸货物。摄影：张三", ("工人在港口装卸货物。", "摄影：张三")),
        ("港口很忙！新华社/AFP", ("港口很忙！", "新华社/AFP")),
        ("新华社", ("", "新华社")),
        ("中新社", ("", "中新社")),
        ("港口", ("港口", "")),
        ("工人在港口装卸货物", ("工人在港口装卸货物", "")),
        ("港口。这是一个很长的句子没有结束符号但是比二十个字符还要长很多很多", (
            "港口。这是一个很长的句子没有结束符号但是比二十个字符还要长很多很多", "")),
    ],
    "ja": [
        ("港の風景。共同通信", ("港の風景。", "共同通信")),
        ("港の風景？写真：共同", ("港の風景？", "写真：共同")),
        ("共同通信", ("", "共同通信")),
    ],
    "th": [
        ("เรือข้ามฟากที่ท่าเรือ ภาพ: รอยเตอร์", ("เรือข้ามฟากที่ท่าเรือ", "ภาพ: รอยเตอร์")),
        ("เรือข้ามฟากที่ท่าเรือ", ("เรือข้ามฟากที่ท่าเรือ", "")),
    ],
    "hi": [("बंदरगाह पर जहाज। पीटीआई", ("बंदरगाह पर जहाज।", "पीटीआई"))],
    "ar": [("ميناء بيروت؟ رويترز", ("ميناء بيروت؟", "رويترز"))],
    "ur": [("کراچی کی بندرگاہ۔ اے پی پی", ("کراچی کی بندرگاہ۔", "اے پی پی"))],
}


@pytest.mark.parametrize(
    ("caption", "expected"),
    [pytest.param(caption, expected, id=f"{script}-{n}") for script, cases in CASES.items()
     for n, (caption, expected) in enumerate(cases)],
)
def test_credit_is_split_after_the_last_sentence_in_every_script(caption, expected):
    assert split_credit(caption) == expected


@pytest.mark.parametrize(
    ("body", "figcaption", "caption", "credit"),
    [
        ("![ផែ](https://img.example/a.jpg)\n\nទិដ្ឋភាពកំពង់ផែ។ STR/AFP\n", "ទិដ្ឋភាពកំពង់ផែ។ <small>STR/AFP</small>",
         "ទិដ្ឋភាពកំពង់ផែ។", "STR/AFP"),
        ("![港](https://img.example/a.jpg)\n\n新华社\n", "<small>新华社</small>", "", "新华社"),
        ("![p](https://img.example/a.jpg)\n*The port.* PAS\n", "<em>The port.</em> <small>PAS</small>",
         "*The port.*", "PAS"),
    ],
)
def test_a_figure_shows_its_caption_and_credit_apart(body, figcaption, caption, credit):
    rendered = render(body)
    assert f"<figcaption>{figcaption}</figcaption>" in rendered.html
    assert (rendered.images[0].caption, rendered.images[0].credit) == (caption, credit)

