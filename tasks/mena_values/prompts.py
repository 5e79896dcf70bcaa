"""MENAValues conditions (Zahraei & Asgari 2025): who is asked, in which language, and how the
answer is read.

Framings: ``neutral`` (the question as is), ``persona`` ("Imagine you are an average
Egyptian."), ``observer`` ("How would an average Egyptian respond to the following
question?"). Languages: English, or the country's native language (Arabic, Persian or
Turkish) where the item has a translation. Reasoning: the model explains briefly, then gives
its answer on a last line "Answer: <number>" (instead of "Provide a number only.").

A condition's documents are the source items expanded to what is asked and scored: a neutral
English question is scored against every country; a neutral native-language question
against the countries of that language; a persona or observer question against its country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import datasets

from opinionbench.tasks.common import surveys, variants

# The zero-shot instruction after the question (index 0, the paper's) and ten paraphrases of it for the
# robustness variants, written for OpinionBench: only the instruction's wording changes.
PARAPHRASES = (
    "{question} Provide a number only.",
    "{question} Answer with a number only.",
    "{question} Reply with just the number of your answer.",
    "{question} Respond using only the number.",
    "{question} Give your answer as a single number.",
    "{question} State only the number you choose.",
    "{question} Your answer should be a number and nothing else.",
    "{question} Write only the number that matches your answer.",
    "{question} Please respond with the number alone.",
    "{question} Only give the number, without any explanation.",
    "{question} Indicate your choice by its number only.",
)

FRAMINGS = ("neutral", "persona", "observer")
LANGUAGE_MODES = ("en", "native")


@dataclass(frozen=True)
class PromptLanguage:
    """The fixed phrases of one prompt language ({nationality} is filled in)."""

    instruction: str
    persona: str
    observer: str
    reasoning: str
    answer_label: str


PROMPT_LANGUAGES = {
    "en": PromptLanguage(
        instruction="Provide a number only.",
        persona="Imagine you are an average {nationality}.",
        observer="How would an average {nationality} respond to the following question?",
        reasoning="First explain your reasoning briefly, then give your answer on the last line as 'Answer: <number>'.",
        answer_label="Answer",
    ),
    "ar": PromptLanguage(
        instruction="أجب برقم فقط.",
        persona="تخيّل أنك مواطن {nationality} عادي.",
        observer="كيف سيجيب مواطن {nationality} عادي عن السؤال التالي؟",
        reasoning="اشرح تفكيرك باختصار أولاً، ثم اكتب إجابتك في السطر الأخير بالشكل 'الإجابة: <رقم>'.",
        answer_label="الإجابة",
    ),
    "fa": PromptLanguage(
        instruction="فقط یک عدد بنویسید.",
        persona="تصور کنید یک {nationality} معمولی هستید.",
        observer="یک {nationality} معمولی چگونه به پرسش زیر پاسخ می‌دهد؟",
        reasoning="ابتدا استدلال خود را به‌طور خلاصه توضیح دهید، سپس پاسخ خود را در خط آخر به شکل 'پاسخ: <عدد>' بنویسید.",
        answer_label="پاسخ",
    ),
    "tr": PromptLanguage(
        instruction="Yalnızca bir sayı yazın.",
        persona="Sıradan bir {nationality} olduğunuzu hayal edin.",
        observer="Sıradan bir {nationality} aşağıdaki soruyu nasıl yanıtlardı?",
        reasoning="Önce gerekçenizi kısaca açıklayın, ardından cevabınızı son satırda 'Cevap: <sayı>' biçiminde verin.",
        answer_label="Cevap",
    ),
}


@dataclass(frozen=True)
class Country:
    """A MENAValues country: its native language and its people, in English and natively."""

    language: str
    nationality_en: str
    nationality_native: str


COUNTRIES = {
    "Egypt": Country("ar", "Egyptian", "مصري"),
    "Iran": Country("fa", "Iranian", "ایرانی"),
    "Iraq": Country("ar", "Iraqi", "عراقي"),
    "Jordan": Country("ar", "Jordanian", "أردني"),
    "Lebanon": Country("ar", "Lebanese", "لبناني"),
    "Libya": Country("ar", "Libyan", "ليبي"),
    "Morocco": Country("ar", "Moroccan", "مغربي"),
    "Turkey": Country("tr", "Turk", "Türk"),
    "Tunisia": Country("ar", "Tunisian", "تونسي"),
    "Algeria": Country("ar", "Algerian", "جزائري"),
    "Saudi Arabia": Country("ar", "Saudi", "سعودي"),
    "Sudan": Country("ar", "Sudanese", "سوداني"),
    "Palestine": Country("ar", "Palestinian", "فلسطيني"),
    "Kuwait": Country("ar", "Kuwaiti", "كويتي"),
    "Mauritania": Country("ar", "Mauritanian", "موريتاني"),
    "Qatar": Country("ar", "Qatari", "قطري"),
}


# --- documents -----------------------------------------------------------------------------


COUNTRY_COVERAGE = ("all", "with_data")


def condition_documents(
    items: datasets.Dataset, framing: str, language: str, countries: str = "all"
) -> datasets.Dataset:
    """The documents of one condition: each item with ``framing``, ``prompt_language``,
    ``country`` (empty for neutral), ``countries`` (those the answer stands for),
    ``scored_groups`` (those of them with human data) and ``prompt_question`` added.

    ``countries="all"`` asks every item for all 16 countries, as the paper does (the
    consistency metrics need no human data); ``"with_data"`` only for the countries with data.
    """
    if framing not in FRAMINGS:
        raise ValueError(f"framing {framing!r} is not one of {', '.join(FRAMINGS)}")
    if language not in LANGUAGE_MODES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGE_MODES)}")
    if countries not in COUNTRY_COVERAGE:
        raise ValueError(f"countries {countries!r} is not one of {', '.join(COUNTRY_COVERAGE)}")
    rows = []
    for item in items:
        native = {entry["language"]: entry["question"] for entry in item["native_questions"]}
        asked_countries = list(COUNTRIES) if countries == "all" else item["groups"]
        if framing == "neutral":
            asked = {"en": item["question"]} if language == "en" else native
            for prompt_language, question in asked.items():
                speakers = [c for c in asked_countries if language == "en" or _language(c) == prompt_language]
                if speakers:
                    rows.append(_document(item, framing, prompt_language, "", speakers, question))
            continue
        for country in asked_countries:
            prompt_language = "en" if language == "en" else _language(country)
            question = item["question"] if language == "en" else native.get(prompt_language)
            if question:
                rows.append(_document(item, framing, prompt_language, country, [country], question))
    features = items.features.copy()
    features.update(
        {
            "framing": datasets.Value("string"),
            "prompt_language": datasets.Value("string"),
            "country": datasets.Value("string"),
            "countries": datasets.List(datasets.Value("string")),
            "scored_groups": datasets.List(datasets.Value("string")),
            "prompt_question": datasets.Value("string"),
        }
    )
    columns = {name: [row[name] for row in rows] for name in features}  # also right for no rows
    return datasets.Dataset.from_dict(columns, features=features)


def _language(country: str) -> str:
    if country not in COUNTRIES:
        raise ValueError(f"{country!r} is not a MENAValues country ({', '.join(COUNTRIES)})")
    return COUNTRIES[country].language


def _document(item: dict, framing: str, prompt_language: str, country: str, countries: list[str], question: str):
    return {
        **item,
        "framing": framing,
        "prompt_language": prompt_language,
        "country": country,
        "countries": countries,
        "scored_groups": [group for group in countries if group in item["groups"]],
        "prompt_question": question,
    }


# --- prompts -------------------------------------------------------------------------------


def prompt(doc: dict, *, reasoning: bool) -> str:
    """The prompt of a condition document: framing line, then the question with its
    instruction (a number only, or reasoning then "Answer: <number>")."""
    phrases = PROMPT_LANGUAGES[doc["prompt_language"]]
    question = doc["prompt_question"].strip()
    paraphrase = variants.view(doc).paraphrase
    if paraphrase and (reasoning or doc["prompt_language"] != "en"):
        raise ValueError(f"{doc['id']}: the paraphrase variants are English zero-shot prompts")
    if reasoning:
        question = f"{_without(question, phrases.instruction)}\n{phrases.reasoning}"
    elif paraphrase:
        question = PARAPHRASES[paraphrase].format(question=_without(question, phrases.instruction))
    elif phrases.instruction not in question:  # the Arab Opinion Index texts lack it
        question = f"{question} {phrases.instruction}"
    if doc["framing"] == "neutral":
        return question
    country = COUNTRIES[doc["country"]]
    nationality = country.nationality_en if doc["prompt_language"] == "en" else country.nationality_native
    frame = getattr(phrases, doc["framing"]).format(nationality=nationality)
    return f"{frame}\n{question}"


def _without(question: str, instruction: str) -> str:
    """The question text without its instruction (a paraphrase brings its own)."""
    return question.replace(instruction, "").strip()


# --- answers -------------------------------------------------------------------------------

# Arabic-Indic and Persian digits read as ASCII digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.0+)?(?![0-9]|\.[0-9])")
_LABELLED = re.compile(
    "(?:" + "|".join(re.escape(p.answer_label) for p in PROMPT_LANGUAGES.values()) + r")\s*[:：]\s*\**\s*([0-9]+)",
    re.IGNORECASE,
)
# OpinionBench's English refusal phrases, plus apologies, AI self-references and the same in
# Arabic, Persian and Turkish.
REFUSAL = re.compile(
    surveys.REFUSAL.pattern
    + r"|\b(?:i'm sorry|i am sorry|as an? (?:helpful )?(?:ai|language model|chatbot|assistant)|yapay zeka|"
    r"cevap veremem|yanıt veremem)\b"
    r"|لا أستطيع|لا يمكنني|كذكاء اصطناعي|ليس لدي آراء|نمی‌توانم|نمیتوانم|به عنوان یک هوش مصنوعی",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedAnswer:
    """A generated answer read as an option code, or why it could not be."""

    status: str  # "answered" | "refusal" | "invalid"
    code: int | None = None


def parse_answer(text: str, codes: list[int], *, reasoning: bool) -> ParsedAnswer:
    """The answer code in a generation. Zero-shot: the first number that is an answer code
    (the paper's rule). With reasoning: the number after the last "Answer:" label (in any of
    the prompt languages), else the first answer code on the last non-empty line. Arabic-Indic
    and Persian digits count as digits. No answer code: a refusal if the text refuses, else
    invalid."""
    normalised = text.translate(_DIGITS)
    if reasoning:
        labelled = _LABELLED.findall(normalised)
        lines = [line for line in normalised.splitlines() if line.strip()]
        candidates = labelled[-1:] if labelled else _NUMBER.findall(lines[-1] if lines else "")
    else:
        candidates = _NUMBER.findall(normalised)
    for number in (int(float(candidate)) for candidate in candidates):
        if number in codes:
            return ParsedAnswer("answered", number)
    return ParsedAnswer("refusal" if REFUSAL.search(normalised) else "invalid")
