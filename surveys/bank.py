"""The question bank: ready-made questions and survey templates in English and
Bahasa Indonesia. Texts are data (copied onto each survey's questions), so an
organization's survey keeps its wording even when the bank improves later.
"{organization}" is replaced by the organization's name when a question is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

AGREE5, SCALE10, SINGLE, MULTIPLE, TEXT = "agree5", "scale10", "single", "multiple", "text"


@dataclass(frozen=True)
class BankQuestion:
    key: str
    category: str
    kind: str
    text_en: str
    text_id: str
    choices: tuple[tuple[str, str], ...] = ()  # (English, Indonesian)
    measure: str = ""

    def choices_data(self) -> list[dict]:
        return [{"en": en, "id": id_} for en, id_ in self.choices]


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    kind: str
    title_en: str
    title_id: str
    label: str
    question_keys: tuple[str, ...] = field(default_factory=tuple)


CATEGORIES = {
    "engagement": _("Engagement drivers"),
    "advocacy": _("The advocacy program"),
    "manager": _("Manager support"),
    "program": _("Program feedback"),
    "enps": _("eNPS"),
}

QUESTIONS: dict[str, BankQuestion] = {
    q.key: q
    for q in [
        BankQuestion(
            "enps",
            "enps",
            SCALE10,
            "How likely are you to recommend {organization} as a place to work?",
            "Seberapa besar kemungkinan Anda merekomendasikan {organization} sebagai tempat kerja?",
            measure="enps",
        ),
        BankQuestion(
            "enps_why",
            "enps",
            TEXT,
            "What is the main reason for your score?",
            "Apa alasan utama Anda memberikan nilai tersebut?",
            measure="enps_why",
        ),
        BankQuestion(
            "eng_proud",
            "engagement",
            AGREE5,
            "I am proud to work for {organization}.",
            "Saya bangga bekerja di {organization}.",
        ),
        BankQuestion(
            "eng_growth",
            "engagement",
            AGREE5,
            "I see opportunities to learn and grow here.",
            "Saya melihat kesempatan untuk belajar dan berkembang di sini.",
        ),
        BankQuestion(
            "eng_recognition",
            "engagement",
            AGREE5,
            "I receive appropriate recognition when I do good work.",
            "Saya mendapat pengakuan yang layak ketika bekerja dengan baik.",
        ),
        BankQuestion(
            "eng_workload",
            "engagement",
            AGREE5,
            "My workload is manageable.",
            "Beban kerja saya masih dapat saya kelola.",
        ),
        BankQuestion(
            "eng_purpose",
            "engagement",
            AGREE5,
            "I understand how my work contributes to our goals.",
            "Saya memahami bagaimana pekerjaan saya berkontribusi pada tujuan perusahaan.",
        ),
        BankQuestion(
            "adv_comfortable",
            "advocacy",
            AGREE5,
            "I feel comfortable sharing {organization}'s content on my social networks.",
            "Saya merasa nyaman membagikan konten {organization} di media sosial saya.",
        ),
        BankQuestion(
            "adv_relevant",
            "advocacy",
            AGREE5,
            "The content in our content library is relevant to my network.",
            "Konten di perpustakaan konten kita relevan untuk jaringan saya.",
        ),
        BankQuestion(
            "adv_barrier",
            "advocacy",
            MULTIPLE,
            "What keeps you from sharing more often?",
            "Apa yang membuat Anda belum lebih sering berbagi?",
            choices=(
                ("Not enough time", "Tidak cukup waktu"),
                ("Content does not fit my audience", "Konten tidak cocok untuk audiens saya"),
                ("Unsure what I may post", "Ragu apa yang boleh saya unggah"),
                (
                    "I prefer to keep work and social media apart",
                    "Saya lebih suka memisahkan pekerjaan dan media sosial",
                ),
                (
                    "Nothing, I share as much as I like",
                    "Tidak ada, saya sudah berbagi sesuai keinginan",
                ),
            ),
        ),
        BankQuestion(
            "adv_network",
            "advocacy",
            SINGLE,
            "Which network matters most for your professional presence?",
            "Jejaring mana yang paling penting untuk kehadiran profesional Anda?",
            choices=(
                ("LinkedIn", "LinkedIn"),
                ("X", "X"),
                ("Facebook", "Facebook"),
                ("Mastodon or Bluesky", "Mastodon atau Bluesky"),
                ("None", "Tidak ada"),
            ),
        ),
        BankQuestion(
            "mgr_support",
            "manager",
            AGREE5,
            "My manager supports my professional development.",
            "Atasan saya mendukung pengembangan profesional saya.",
        ),
        BankQuestion(
            "mgr_feedback",
            "manager",
            AGREE5,
            "I receive useful feedback from my manager regularly.",
            "Saya rutin menerima umpan balik yang bermanfaat dari atasan saya.",
        ),
        BankQuestion(
            "mgr_oneonone",
            "manager",
            AGREE5,
            "My one-on-ones with my manager are a good use of my time.",
            "Pertemuan empat mata dengan atasan saya bermanfaat bagi saya.",
        ),
        BankQuestion(
            "prog_supported",
            "program",
            AGREE5,
            "I feel supported as an advocate for {organization}.",
            "Saya merasa didukung sebagai advokat {organization}.",
        ),
        BankQuestion(
            "prog_empowered",
            "program",
            AGREE5,
            "I feel empowered to speak about {organization} in my own words.",
            "Saya merasa diberdayakan untuk berbicara tentang {organization} dengan kata-kata saya sendiri.",
        ),
        BankQuestion(
            "prog_training",
            "program",
            AGREE5,
            "The guidelines and training give me the confidence to share.",
            "Pedoman dan pelatihan membuat saya percaya diri untuk berbagi.",
        ),
        BankQuestion(
            "prog_improve",
            "program",
            TEXT,
            "What one thing would make the advocacy program better for you?",
            "Satu hal apa yang akan membuat program advokasi karyawan lebih baik bagi Anda?",
        ),
    ]
}

TEMPLATES: dict[str, SurveyTemplate] = {
    t.key: t
    for t in [
        SurveyTemplate(
            "enps",
            "enps",
            "Employee Net Promoter Score",
            "Employee Net Promoter Score (eNPS)",
            _("eNPS: the recommendation question and why"),
            ("enps", "enps_why"),
        ),
        SurveyTemplate(
            "engagement",
            "pulse",
            "Engagement pulse",
            "Survei denyut nadi keterlibatan",
            _("Engagement drivers"),
            (
                "eng_proud",
                "eng_growth",
                "eng_recognition",
                "eng_workload",
                "eng_purpose",
                "enps",
                "enps_why",
            ),
        ),
        SurveyTemplate(
            "advocacy",
            "pulse",
            "Advocacy program pulse",
            "Survei denyut nadi program advokasi",
            _("The advocacy program itself"),
            ("adv_comfortable", "adv_relevant", "adv_barrier", "adv_network"),
        ),
        SurveyTemplate(
            "manager",
            "pulse",
            "Manager support",
            "Dukungan atasan",
            _("Manager support"),
            ("mgr_support", "mgr_feedback", "mgr_oneonone"),
        ),
        SurveyTemplate(
            "program",
            "program",
            "Advocacy program feedback",
            "Umpan balik program advokasi",
            _("Program feedback: how supported and empowered advocates feel"),
            ("prog_supported", "prog_empowered", "prog_training", "adv_relevant", "prog_improve"),
        ),
    ]
}
