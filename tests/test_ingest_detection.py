import pytest

from search.ingest.detection import detect

ENGLISH = ("Energy Minister Parviz Shahbazov said that Azerbaijan and Albania are members of "
           "the TAP project, which plays a strategic role in diversifying the energy supply of "
           "European countries and ensuring energy security.")
RUSSIAN = ("В Баку прошел круглый стол «Азербайджан — НАТО», посвященный изучению вопросов "
           "энергетической безопасности и изменения климата. Представители SOCAR и ExxonMobil "
           "обсудили поставки газа в Европу.")
UKRAINIAN = ("Уряд України ухвалив рішення про підвищення мінімальної заробітної плати з "
             "першого січня. Міністр фінансів заявив, що це дозволить підтримати громадян.")
GERMAN = ("Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer "
          "Energien beschlossen. Damit sollen bis zum Jahr 2030 mindestens achtzig Prozent des "
          "Stroms aus Wind und Sonne stammen, sagte der Wirtschaftsminister in Berlin.")
BULGARIAN = ("Правителството на България одобри нов закон за енергетиката. Министърът каза, че "
             "реформата ще донесе повече инвестиции в страната през следващата година, като "
             "цените на тока ще останат стабилни за домакинствата и за малкия бизнес. "
             "Опозицията обаче заяви, че законът не решава проблемите на енергийния сектор.")


@pytest.mark.parametrize("text, lang", [
    (ENGLISH, "en"),
    (RUSSIAN, "ru"),
    (UKRAINIAN, "other"),
    (GERMAN, "other"),
    (BULGARIAN, "other"),  # no і/ї, but no ы/э/ё either: langdetect decides
    ("Σήμερα η κυβέρνηση ανακοίνωσε νέα μέτρα για την ενέργεια.", "other"),
    ("2023-05-05 11:57 — 85 $ / 1 000 м³", "ru"),
    ("12:30 — 42%", "other"),
    ("", "other"),
    ("Газ подорожал", "ru"),  # short texts go by script
    ("SOCAR expands output", "en"),
    # Terse English with hardly a function word (langdetect said Swedish).
    ("Shr 73 cts vs 55 cts\n Net 26.0 mln vs 17.1 mln\n Revs 673.3 mln vs 394.5 mln\n"
     " Avg shrs 29.3 mln vs 22.4 mln", "en"),
    # As terse, in Spanish: accented letters and its function words send it to langdetect.
    ("Petróleo crudo: producción récord en Venezuela según ministerio de energía, "
     "exportación sube más del año pasado", "other"),
])
def test_detect(text, lang):
    assert detect(text) == lang


def test_detect_is_deterministic():
    assert {detect(GERMAN) for _ in range(5)} == {"other"}
    assert {detect(ENGLISH + " " + GERMAN) for _ in range(5)} == {detect(ENGLISH + " " + GERMAN)}


def test_detect_reads_the_start_of_a_long_text():
    assert detect(RUSSIAN * 30 + ENGLISH * 10_000) == "ru"
