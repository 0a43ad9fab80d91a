"""Per-language stop words: function words only.

Both lists leave out every word that is also a content word or a name:
Russian «ли» is the surname Lee, «мая» and «мир» are words, English "us"
is the country, "will" and "may" are nouns, "it" is the acronym IT.
"""

ENGLISH = frozenset("""
a an the and or but nor if then else so than that this these those
of in on at by for from to into onto with without within via about over under
as is are was were be been being am do does did doing done have has had having
i me my myself you your yours yourself yourselves he him his himself she her hers
herself its itself we our ours ourselves they them their theirs themselves
what which who whom whose why how when where there here
not no yes very too also just only such both each either neither
all any some few more most other own same s t d ll m o re ve y
can could would should shall might must
because while until unless although though whether
up down out off again further once
""".split())

RUSSIAN = frozenset("""
а и или но да же ж бы б то это этот эта эти тот та те того тому том тем той
в во на с со к ко о об обо от до по за из изо у при про для без над под перед между через
не ни нет ну вот вон уж уже ещё еще лишь только
я ты он она оно мы вы они меня мне мной тебя тебе тобой его ему им него нему ним
её ее ей ней нее неё нас нам нами вас вам вами их ими них ними
мой моя моё мое мои твой твоя твоё твое твои свой своя своё свое свои наш наша наше наши ваш ваша ваше ваши
себя себе собой
как так когда где куда откуда зачем почему что чтобы чем кто кого кому ком
который которая которое которые которого которой котором которых которым которыми
если хотя пока либо нибудь то-то
тоже также ведь разве неужели именно
всё все весь вся всех всем всеми всего всему
быть был была было были будет будут есть
какой какая какое какие каком какую каких каким какими каков какова каковы сколько чей чья чье чьи
""".split())
