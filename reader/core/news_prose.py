"""English news prose about invented events, with facts that outlets restate in their own words.

For the generated corpus (``corpus_generator``). Each story is one invented
event (an accident, a state visit or a strike) with its own names, places,
numbers and dates. The event's facts each have several phrasings: the wire
copy uses the first; an outlet that tells a fact in its own words uses
another, with numbers and dates written its own way ("12" or "twelve",
"Tuesday" or "March 4"), so two outlets' sentences of one fact are the same
fact in other words (a related link's truth) while the details still agree.
Outlets also write sentences of their own that restate nothing.

Real words, function words in English order: the related matcher's prose
rule (``related.is_prose``) takes these articles for prose, so a benchmark
on them pays for the sentence model as real folders do.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_FIRST = [
    "Anna",
    "Maria",
    "Elena",
    "Sofia",
    "Laura",
    "Clara",
    "Ingrid",
    "Nadia",
    "Helena",
    "Marta",
    "Irene",
    "Julia",
    "Teresa",
    "Vera",
    "Rosa",
    "Daniel",
    "Martin",
    "Peter",
    "Lukas",
    "Tomas",
    "Victor",
    "Oscar",
    "Marco",
    "Felix",
    "Hugo",
    "Anton",
    "Pavel",
    "Simon",
    "Adrian",
    "Erik",
]
_LAST = [
    "Varga",
    "Lindqvist",
    "Moreau",
    "Castell",
    "Brenner",
    "Okafor",
    "Haddad",
    "Novak",
    "Petrov",
    "Serrano",
    "Dumont",
    "Keller",
    "Halvorsen",
    "Rossi",
    "Mendes",
    "Kowalski",
    "Fischer",
    "Laurent",
    "Osei",
    "Tanaka",
    "Duarte",
    "Weiss",
    "Marin",
    "Santos",
    "Ferreira",
    "Lund",
    "Holm",
    "Bauer",
    "Romero",
    "Ivanova",
    "Kerr",
    "Dalton",
    "Whitlock",
    "Maddox",
    "Ashford",
    "Pryor",
]
_TOWN_HEAD = [
    "Wester",
    "Ash",
    "Bram",
    "Carrow",
    "Dun",
    "Elm",
    "Fair",
    "Glen",
    "Hal",
    "Kings",
    "Lang",
    "Mar",
    "Nor",
    "Old",
    "Pen",
    "Red",
    "Sal",
    "Thorn",
    "Wil",
    "Ark",
    "Bel",
    "Cor",
    "Dor",
    "Fen",
    "Gal",
    "Hol",
    "Isel",
    "Kel",
    "Lor",
    "Mor",
    "Ost",
    "Pel",
    "Quen",
    "Rav",
    "Sten",
    "Tor",
    "Ul",
    "Var",
]
_TOWN_TAIL = [
    "ford",
    "bury",
    "wick",
    "haven",
    "field",
    "stead",
    "mouth",
    "ton",
    "dale",
    "port",
    "holm",
    "brook",
    "vik",
    "gard",
]
_NAME_TAIL = [
    "ler",
    "mann",
    "sen",
    "ova",
    "ic",
    "berg",
    "ski",
    "wright",
    "hart",
    "ley",
    "ovic",
    "ander",
]
_COUNTRY_TAIL = ["ia", "land", "ovia", "ania", "istan", "ara"]
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]

# Each family: fact phrasings (first = wire copy) and the outlets' own sentences.
# Slots: {city} {country} {day} {date} {p1}..{p3} (people) {org} and the family's numbers.
_ACCIDENT_SITES = (
    ("fire", "a chemical plant", "the plant", "a faulty boiler"),
    ("explosion", "a fuel depot", "the depot", "a leaking valve"),
    ("fire", "a textile factory", "the factory", "an electrical fault"),
    ("collapse", "a shopping centre", "the building", "weak concrete in the roof"),
    ("explosion", "a fertiliser warehouse", "the warehouse", "stored chemicals overheating"),
)
_ACCIDENT_FACTS = (
    (
        "At least {dead} people were killed and {hurt} injured in a {event} at {site} in {city} on {day}, officials said.",
        "Officials in {city} said the {event} at {site} on {day} had left {dead} people dead and {hurt} more hurt.",
        "The {event}, which tore through {site} in {city} on {day}, killed {dead} people and injured {hurt} others.",
    ),
    (
        "{p1}, the mayor of {city}, said investigators were examining whether {cause} had caused the {event}.",
        "Investigators are looking into whether {cause} was to blame, according to mayor {p1}.",
        "The cause is not yet known, but {p1}, who runs the city, said experts suspected {cause}.",
    ),
    (
        "About {workers} people work at {short}, which belongs to the {org} group.",
        "{short_cap} is owned by the {org} group and employs around {workers} staff.",
        "Some {workers} workers are employed at {short}, a site run by the {org} group.",
    ),
    (
        "Firefighters needed {hours} hours to bring the blaze under control, and {families} families were moved from nearby homes.",
        "It took emergency crews {hours} hours to contain the flames, while {families} households nearby were evacuated.",
        "Residents of {families} homes near the site were told to leave as crews fought the fire for {hours} hours.",
    ),
    (
        '"We heard a huge bang and then the windows shook," said {p2}, who lives across the road.',
        "{p2}, a neighbour, said the blast was so loud that the windows of the house shook.",
        "A local resident, {p2}, described hearing a loud bang that rattled the windows of the house.",
    ),
    (
        "The {org} group said in a statement that it was cooperating fully with the authorities.",
        "In a written statement, the company said it would give the investigators every help they needed.",
        "The owners of {short} promised to work closely with the authorities, a company statement said.",
    ),
    (
        "It was the deadliest industrial accident in {country} since {year}, when {past} miners died in a flood.",
        "Not since {year}, when a flooded mine killed {past} workers, has {country} seen such a deadly industrial accident.",
        "The last accident of this scale in {country} came in {year}, when {past} miners lost their lives.",
    ),
    (
        "The government of {country} promised {aid} million euros in aid for the families of the victims.",
        "Families of the dead will receive help from a fund of {aid} million euros, the government announced.",
        "Ministers in {country} pledged {aid} million euros to support the families of those killed.",
    ),
    (
        "Police said they had detained {arrested} managers of the company for questioning on {day2}.",
        "On {day2}, {arrested} of the company's managers were taken in for questioning by the police.",
        "The police held {arrested} managers from the firm for questioning, officers said on {day2}.",
    ),
    (
        "A public inquiry into the {event} will open on {date}, the interior ministry said.",
        "The interior ministry announced that an inquiry into the disaster would begin on {date}.",
        "Hearings of a public inquiry are due to start on {date}, according to the interior ministry.",
    ),
)
_ACCIDENT_OWN = (
    "Our reporter in {city} saw long queues of relatives outside the main hospital on {day} evening.",
    "The mood in {city} was quiet, and many shops kept their shutters down the morning after the {event}.",
    "Local radio stations in {city} stopped their usual programmes to read out messages from listeners.",
    "Questions about safety checks at sites like {short} have been raised in the parliament of {country} before.",
    "Several of the injured were taken by helicopter from {city} to a larger hospital in {city2}.",
    "Volunteers set up a table near the gates of {short} where people could leave flowers and candles.",
    "The football club of {city} said it would cancel its match at the weekend as a mark of respect.",
    "Some workers at {short} told us that they had complained about the state of the equipment for years.",
)

_VISIT_FACTS = (
    (
        "{p1}, the president of {country}, arrived in {city} on {day} for a {length}-day state visit to {host}.",
        "The president of {country}, {p1}, landed in {city} on {day} at the start of a {length}-day visit to {host}.",
        "On {day}, {country}'s president {p1} began a state visit to {host} that will last {length} days, arriving in {city}.",
    ),
    (
        "It is the first visit by a leader of {country} to {host} in {gap} years.",
        "No leader of {country} has travelled to {host} for {gap} years.",
        "The trip marks the first time in {gap} years that a {country} leader has set foot in {host}.",
    ),
    (
        "The two countries signed an agreement on energy and trade worth {deal} billion dollars.",
        "A trade and energy deal worth {deal} billion dollars was signed by the two governments.",
        "Officials from both sides put their names to an energy and trade pact valued at {deal} billion dollars.",
    ),
    (
        '"This is a new chapter in the relationship between our two nations," {p1} told reporters.',
        "{p1} told journalists that the visit opened a new chapter in relations between the two countries.",
        "Speaking to the press, {p1} described the trip as the start of a new chapter for both nations.",
    ),
    (
        "{p2}, the prime minister of {host}, said the talks had been open and friendly.",
        "According to {host}'s prime minister {p2}, the discussions were friendly and frank.",
        "The talks were described as open and warm by {p2}, who leads the government of {host}.",
    ),
    (
        "Hundreds of people protested in the centre of {city} against the visit, and police detained {arrested} of them.",
        "Police held {arrested} people after hundreds gathered in central {city} to protest against the visit.",
        "A protest against the trip drew hundreds to the centre of {city}, where {arrested} demonstrators were detained.",
    ),
    (
        "The two leaders also agreed to open a new border crossing by {year}.",
        "A new crossing on the border between the two countries is to open by {year}, the leaders agreed.",
        "Under the plan agreed by the leaders, a new border crossing will be built and opened by {year}.",
    ),
    (
        "Trade between the two countries fell by {drop} percent last year, according to official figures.",
        "Official data show that trade between the neighbours dropped {drop} percent last year.",
        "Last year the value of trade between them shrank by {drop} percent, the official figures say.",
    ),
    (
        "{p1} is expected to travel on to {city2} on {day2} to meet business leaders.",
        "On {day2} the president will go on to {city2} for a meeting with business leaders.",
        "The next stop is {city2}, where {p1} will meet the heads of large companies on {day2}.",
    ),
    (
        "{p3}, an analyst at the University of {city}, said the visit was mainly a signal to other powers in the region.",
        "The visit is above all a message to other powers in the region, said {p3}, who teaches at the University of {city}.",
        "According to {p3}, an expert at the University of {city}, the trip was meant as a signal to the region.",
    ),
)
_VISIT_OWN = (
    "Streets around the palace in {city} were closed to traffic for most of {day}.",
    "Our correspondent in {city} said that the welcome for {p1} was warm but the security was unusually tight.",
    "The visit to {host} had been planned for months, although the exact dates were kept secret until last week.",
    "Critics of the government of {host} say that the deal will do little for ordinary families.",
    "Both leaders laid wreaths at a war memorial in {city} before the talks began.",
    "State television in {country} showed {p1} and {p2} shaking hands and smiling for the cameras.",
    "The foreign ministry of {host} gave few details about the money behind the new projects.",
    "Opposition parties in the parliament of {country} have asked to see the full text of the agreement.",
)

_STRIKE_FACTS = (
    (
        "About {workers} workers at the {org} car plant in {city} walked out on {day} in a dispute over pay.",
        "A pay dispute led some {workers} employees of the {org} car factory in {city} to go on strike on {day}.",
        "On {day}, around {workers} staff at the {org} car plant in {city} stopped work over their wages.",
    ),
    (
        "The union is demanding a pay rise of {rise} percent, while the company has offered {offer} percent.",
        "The company has offered {offer} percent, far short of the {rise} percent rise the union wants.",
        "Union leaders want wages to go up by {rise} percent, but management is offering only {offer} percent.",
    ),
    (
        "{p1}, who leads the union, said the strike would last until the company made a better offer.",
        "The workers will stay out until management improves its offer, union leader {p1} said.",
        "According to {p1}, the head of the union, the walkout will go on until a better offer is made.",
    ),
    (
        '"We cannot keep up with the cost of food and rent," said {p2}, who has worked at the plant for {tenure} years.',
        "{p2}, a worker at the plant for {tenure} years, said wages no longer covered the cost of food and rent.",
        "After {tenure} years at the plant, {p2} said the pay was no longer enough for food and rent.",
    ),
    (
        "The plant builds about {cars} cars a day, most of them for export to {country}.",
        "Most of the {cars} cars made at the factory each day are sold abroad in {country}.",
        "Around {cars} vehicles leave the plant every day, with most going to buyers in {country}.",
    ),
    (
        "The company said the strike was costing it {loss} million euros a day.",
        "Every day of the walkout costs the firm {loss} million euros, according to the company.",
        "Losses from the strike amount to {loss} million euros a day, the company said.",
    ),
    (
        "{p3}, a spokesman for {org}, said the offer was fair and that the company could not pay more.",
        "The company cannot afford to pay more and its offer is fair, {org} spokesman {p3} said.",
        "Speaking for {org}, {p3} said the firm had made a fair offer and had no room to go further.",
    ),
    (
        "It is the first strike at the plant since {year}.",
        "The workers at the plant last went on strike in {year}.",
        "The factory has not seen a strike since {year}.",
    ),
    (
        "Talks between the two sides are due to resume on {date}, the labour ministry said.",
        "The labour ministry said both sides would meet again for talks on {date}.",
        "According to the labour ministry, negotiations will start again on {date}.",
    ),
)
_STRIKE_OWN = (
    "Outside the gates in {city}, strikers lit fires in metal barrels to keep warm during the night.",
    "Shops and cafes near the {org} plant said they had noticed fewer customers since the walkout began on {day}.",
    "The dispute comes at a difficult time for the car industry of {country}, which is already facing falling sales.",
    "Many of the workers we spoke to in {city} said they had never been on strike before.",
    "Drivers passing the picket line outside {city} sounded their horns in support of the workers.",
    "Economists warn that a long strike at {org} could hurt suppliers across the whole region.",
    "The plant is the largest employer in {city}, and many families depend on it.",
    "Some younger workers said they were thinking of leaving {city} to find jobs in {city2} or abroad.",
)

_FAMILIES = (
    (_ACCIDENT_FACTS, _ACCIDENT_OWN),
    (_VISIT_FACTS, _VISIT_OWN),
    (_STRIKE_FACTS, _STRIKE_OWN),
)


# Each story words its event its own way: real coverage of two different
# events shares phrases ("police said"), not whole sentences with other names
# in them, and copied links between stories would be false.
_STORY_WORDING = (
    ("killed", "killed", "left dead", "claimed the lives of"),
    ("injured", "injured", "wounded", "hurt", "left injured"),
    (
        "officials",
        "officials",
        "authorities",
        "local officials",
        "city officials",
        "emergency officials",
    ),
    ("investigators", "investigators", "inspectors", "experts", "engineers", "detectives"),
    ("examining", "examining", "studying", "checking", "exploring", "testing"),
    ("workers", "workers", "employees", "staff", "labourers", "hands"),
    ("people", "people", "residents", "locals", "citizens", "men and women"),
    ("statement", "statement", "press release", "short note", "message", "written reply"),
    ("cooperating", "cooperating", "working", "collaborating"),
    ("authorities", "authorities", "police", "officials", "regulators", "prosecutors"),
    ("deadliest", "deadliest", "worst", "most deadly", "most serious", "gravest"),
    ("accident", "accident", "disaster", "tragedy", "incident"),
    ("industrial", "industrial", "workplace", "factory"),
    ("promised", "promised", "pledged", "offered", "set aside", "committed"),
    ("families", "families", "relatives", "households", "dependants"),
    ("victims", "victims", "dead", "those who died", "deceased"),
    ("detained", "detained", "arrested", "held", "questioned", "picked up"),
    ("managers", "managers", "executives", "supervisors", "directors", "engineers"),
    ("questioning", "questioning", "interviews", "interrogation"),
    ("inquiry", "inquiry", "investigation", "review", "hearing"),
    ("ministry", "ministry", "department", "office", "agency"),
    ("interior", "interior", "justice", "safety", "labour"),
    ("huge", "huge", "massive", "enormous", "deafening", "terrible"),
    ("bang", "bang", "boom", "blast", "roar"),
    ("windows", "windows", "walls", "doors", "floors"),
    ("shook", "shook", "trembled", "rattled", "shuddered"),
    ("neighbour", "neighbour", "nearby resident", "local man", "shopkeeper", "witness"),
    ("firefighters", "firefighters", "rescue crews", "fire crews", "emergency teams"),
    ("blaze", "blaze", "fire", "inferno", "flames"),
    ("miners", "miners", "workers", "labourers"),
    ("flood", "flood", "cave-in", "gas explosion", "tunnel collapse"),
    ("aid", "aid", "help", "support", "compensation", "relief"),
    ("arrived", "arrived", "landed", "touched down", "flew into"),
    ("state", "state", "official", "formal"),
    ("agreement", "agreement", "accord", "treaty", "pact", "package"),
    ("energy", "energy", "gas", "oil", "electricity", "railways"),
    ("trade", "trade", "commerce", "investment", "shipping"),
    ("signed", "signed", "sealed", "concluded", "agreed"),
    ("chapter", "chapter", "era", "page", "beginning", "stage"),
    ("relationship", "relationship", "friendship", "partnership", "ties"),
    ("talks", "talks", "discussions", "meetings", "negotiations"),
    ("friendly", "friendly", "warm", "constructive", "productive", "honest"),
    ("protested", "protested", "demonstrated", "rallied", "marched"),
    ("crossing", "crossing", "checkpoint", "bridge", "rail link", "ferry route"),
    ("border", "border", "frontier", "river"),
    ("fell", "fell", "dropped", "declined", "shrank"),
    ("figures", "figures", "statistics", "data", "records"),
    ("business", "business", "industry", "banking", "shipping"),
    ("analyst", "analyst", "researcher", "political scientist", "historian", "professor"),
    ("signal", "signal", "message", "warning", "reminder"),
    ("powers", "powers", "rivals", "neighbours", "governments"),
    ("region", "region", "area", "continent", "neighbourhood"),
    ("car", "car", "truck", "bus", "tractor", "engine", "tyre"),
    ("cars", "cars", "trucks", "buses", "tractors", "engines", "tyres"),
    ("dispute", "dispute", "row", "quarrel", "conflict", "fight"),
    ("demanding", "demanding", "seeking", "asking for", "calling for"),
    ("rise", "rise", "increase", "raise", "hike"),
    ("strike", "strike", "walkout", "stoppage", "action"),
    ("union", "union", "labour union", "workers' union", "trade union"),
    ("food", "food", "heating", "bread", "petrol"),
    ("rent", "rent", "housing", "mortgages", "bills"),
    ("export", "export", "sale", "shipping", "customers"),
    ("spokesman", "spokesman", "representative", "press officer", "spokeswoman"),
    ("fair", "fair", "reasonable", "generous", "balanced", "sensible"),
    ("resume", "resume", "restart", "continue", "reopen"),
    ("labour", "labour", "employment", "economy", "industry"),
    ("plant", "plant", "factory", "works", "site", "assembly line"),
    ("walked", "walked", "went", "stayed", "marched"),
)


def _reworded_for_story(text: str, choice: dict[str, str]) -> str:
    return re.sub(r"\b[a-z]+\b", lambda match: choice.get(match.group(), match.group()), text)


@dataclass(frozen=True)
class Story:
    """One invented event: its facts' phrasings filled in for it, and its outlets' own lines."""

    number: int
    headlines: tuple[str, ...]  # each outlet picks one
    facts: tuple[tuple[str, ...], ...]  # per fact: phrasings, the wire's first, filled in
    own: tuple[str, ...]  # sentences an outlet may add that restate no fact
    slots: dict[str, str]


def _town(rng: random.Random) -> str:
    return rng.choice(_TOWN_HEAD) + rng.choice(_TOWN_TAIL)


def _surname(rng: random.Random) -> str:
    return rng.choice(_TOWN_HEAD) + rng.choice(_NAME_TAIL)


def _country(rng: random.Random) -> str:
    return rng.choice(_TOWN_HEAD) + rng.choice(_COUNTRY_TAIL)


def _person(rng: random.Random) -> str:
    # Made of parts, like towns: two stories rarely share a name, as two real events rarely do.
    return f"{rng.choice(_FIRST)} {rng.choice((rng.choice(_LAST), _surname(rng)))}"


def invent_story(number: int, rng: random.Random) -> Story:
    """The facts of event ``number``: its family, names, places, numbers and dates."""
    facts_of_family, own_of_family = _FAMILIES[number % len(_FAMILIES)]
    event, site, short, cause = rng.choice(_ACCIDENT_SITES)
    day, day2 = rng.sample(_DAYS, 2)
    city, city2 = _town(rng), _town(rng)
    country, host = _country(rng), _country(rng)
    while host == country:
        host = _country(rng)
    slots = {
        "city": city,
        "city2": city2,
        "country": country,
        "host": host,
        "day": day,
        "day2": day2,
        "date": f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}",
        "p1": _person(rng),
        "p2": _person(rng),
        "p3": _person(rng),
        "org": _surname(rng) + rng.choice(("", " Industries", " Holdings", " Motors")),
        "event": event,
        "site": site,
        "short": short,
        "short_cap": short[0].upper() + short[1:],
        "cause": cause,
        "dead": str(rng.randint(3, 40)),
        "hurt": str(rng.randint(10, 120)),
        "workers": str(rng.randrange(200, 4000, 50)),
        "hours": str(rng.randint(3, 14)),
        "families": str(rng.randint(20, 300)),
        "year": str(rng.randint(1961, 2019)),
        "past": str(rng.randint(20, 90)),
        "aid": str(rng.randint(2, 60)),
        "arrested": str(rng.randint(2, 19)),
        "length": str(rng.randint(2, 5)),
        "gap": str(rng.randint(6, 40)),
        "deal": str(rng.randint(2, 30)),
        "drop": str(rng.randint(3, 35)),
        "rise": str(rng.randint(8, 20)),
        "offer": str(rng.randint(2, 7)),
        "tenure": str(rng.randint(4, 30)),
        "cars": str(rng.randrange(300, 2000, 10)),
        "loss": str(rng.randint(2, 25)),
    }
    wording = {group[0]: rng.choice(group[1:]) for group in _STORY_WORDING}
    # The wire's phrasing of a fact differs from story to story, and not every story has every fact.
    chosen = sorted(rng.sample(range(len(facts_of_family)), len(facts_of_family) - 2))
    facts = tuple(
        tuple(
            _reworded_for_story(p.format(**slots), wording)
            for p in rng.sample(facts_of_family[f], len(facts_of_family[f]))
        )
        for f in chosen
    )
    own = tuple(_reworded_for_story(line.format(**slots), wording) for line in own_of_family)
    headlines = {
        _ACCIDENT_FACTS: (
            f"{slots['dead']} dead after {event} at {site} in {city}",
            f"{city} {event}: death toll rises to {slots['dead']}",
            f"Deadly {event} hits {city}",
            f"What we know about the {city} {event}",
        ),
        _VISIT_FACTS: (
            f"{country} president begins first visit to {host} in {slots['gap']} years",
            f"{slots['p1']} lands in {city}",
            f"{country} and {host} sign {slots['deal']} billion dollar deal",
            f"Protests greet {slots['p1']} in {host}",
        ),
        _STRIKE_FACTS: (
            f"Thousands strike at {slots['org']} car plant in {city} over pay",
            f"{city} car workers walk out",
            f"Union demands {slots['rise']} percent at {slots['org']}",
            f"Strike halts production in {city}",
        ),
    }
    return Story(number, headlines[facts_of_family], facts, own, slots)


def in_own_words(sentence: str, rng: random.Random) -> str:
    """An outlet's way of writing the details: a small number in words, a day with its date."""

    tokens = sentence.split(" ")
    for k, token in enumerate(tokens):
        core = token.rstrip(",.")
        after_month = k > 0 and tokens[k - 1] in _MONTHS  # "March 4", never "March four"
        if core.isdigit() and int(core) <= 20 and not after_month and rng.random() < 0.5:
            tokens[k] = _NUMBER_WORDS[int(core)] + token[len(core) :]
    return " ".join(tokens)
