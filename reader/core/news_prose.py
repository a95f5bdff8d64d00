"""English news prose about invented events, with facts that outlets restate in their own words.

For the generated corpus (``corpus_generator``). Each story is one invented
event (an accident, a state visit or a strike) with its own names, places,
numbers and dates. The event's facts each have several phrasings: the wire
copy uses the first; an outlet that tells a fact in its own words uses
another, with numbers and dates written its own way ("12" or "twelve",
"Tuesday" or "March 4"), so two outlets' sentences of one fact are the same
fact in other words (a related link's truth) while the details still agree.
Outlets also write sentences of their own that restate nothing.

Two stories of one kind do not share sentences: each story writes every
template its own way once (an alternative of each "[a|b|c]", the attribution
or the day at the end or the front, its own synonym for each word of
``_STORY_WORDING``), as two wire services covering two strikes would, and
takes six of its kind's ten own lines. What stays common is what real news
shares: stock phrases and short clauses ("the company said").

Real words, function words in English order: the related matcher's prose
rule (``related.is_prose``) takes these articles for prose, so a benchmark
on them pays for the sentence model as real folders do.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from reader.core.words import DAY_NAMES, MONTH_NAMES, NUMBER_WORDS, STOPWORDS

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
_DAYS = DAY_NAMES
_MONTHS = MONTH_NAMES

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
        "At least {dead} people were [killed|left dead] and {hurt} [injured|hurt] in a {event} at {site} in {city} on {day}, [officials said|the authorities said|police said].",
        "Officials in {city} said the {event} at {site} on {day} had [left|cost the lives of] {dead} people and {hurt} more [hurt|injured].",
        "The {event}, which [tore through|ripped through|destroyed part of] {site} in {city} on {day}, [killed|took the lives of] {dead} people and [injured|hurt|wounded] {hurt} others.",
    ),
    (
        "{p1}, the mayor of {city}, said [investigators were examining whether|it was too early to say, but experts were checking if|the first question was whether] {cause} had caused the {event}.",
        "[Investigators are looking into whether|The inquiry will ask if|Experts want to know whether] {cause} [was to blame|started it|set it off], [according to|said] mayor {p1}.",
        "The cause is [not yet known|still unclear|unconfirmed], but {p1}, who [runs the city|is the mayor|heads the council], said experts suspected {cause}.",
    ),
    (
        "About {workers} people work at {short}, which [belongs to|is part of|is owned by] the {org} group.",
        "{short_cap} [is owned by|belongs to|is run by] the {org} group and employs [around|about|roughly] {workers} staff.",
        "[Some|Roughly|Nearly] {workers} workers are employed at {short}, a site [run|owned|managed] by the {org} group.",
    ),
    (
        "Firefighters [needed|took|spent] {hours} hours [to bring the blaze under control|to put out the flames|fighting the blaze], and {families} families were [moved from|told to leave|taken out of] nearby homes.",
        "It took emergency crews {hours} hours to contain the flames, [while|and] {families} households nearby [were evacuated|had to leave|were moved out].",
        "[Residents of|People living in|Families from] {families} homes near the site were [told to leave|sent away|evacuated] as crews fought the fire for {hours} hours.",
    ),
    (
        '"We heard a huge bang and then the windows shook," said {p2}, who lives [across the road|next door|in the same street|nearby].',
        "{p2}, a neighbour, said the blast was [so loud that|strong enough that|so powerful] the windows of the house shook.",
        "A local resident, {p2}, [described hearing|said she heard|recalled] a loud bang that rattled the windows of the house.",
    ),
    (
        "The {org} group [said in a statement|told reporters|said on its website] that it was [cooperating fully with|working closely with|giving every help to] the authorities.",
        "[In a written statement|Late on {day}|In a short reply], the company said it would give the investigators [every help they needed|full access|all the documents they asked for].",
        "The owners of {short} promised to [work closely with|help|assist] the authorities, a company statement said.",
    ),
    (
        "It was the deadliest industrial accident in {country} since {year}, when {past} miners [died in a flood|were trapped underground|lost their lives].",
        "Not since {year}, when a [flooded mine|mine disaster|pit collapse] killed {past} workers, has {country} [seen|suffered|known] such a deadly industrial accident.",
        "The last accident of this scale in {country} [came|happened|was] in {year}, when {past} miners [lost their lives|died|were killed].",
    ),
    (
        "The government of {country} promised {aid} million euros [in aid for|to help|for] the families of the victims.",
        "Families of the dead will [receive help from|be paid from|get money from] a fund of {aid} million euros, the government announced.",
        "Ministers in {country} pledged {aid} million euros [to support|for|to help] the families of those killed.",
    ),
    (
        "Police said they had detained {arrested} managers of the company [for questioning|as suspects|for interviews] on {day2}.",
        "On {day2}, {arrested} of the company's managers were [taken in for questioning|held|brought in] by the police.",
        "The police held {arrested} managers from the firm [for questioning|overnight|for hours], officers said on {day2}.",
    ),
    (
        "A public inquiry into the {event} will [open|begin|start] on {date}, the interior ministry said.",
        "The interior ministry announced that an inquiry [into the disaster|into what happened|into the causes] would begin on {date}.",
        "Hearings of a public inquiry are [due to start|set to begin|expected to open] on {date}, according to the interior ministry.",
    ),
)
_ACCIDENT_OWN = (
    "[Our reporter|A member of our staff|Our team] in {city} saw [long queues of relatives|anxious families waiting|crowds of relatives] [outside|at the doors of|in front of] the [main|city|central] hospital on {day} [evening|night|afternoon].",
    "The mood in {city} was [quiet|sombre|tense], and [many|most|a number of] shops kept their [shutters down|doors closed|lights off] [the morning after|on the day after|in the hours after] the {event}.",
    "[Local radio stations|Stations on the local radio|Radio hosts] in {city} [stopped|dropped|interrupted] their [usual|normal|regular] programmes to [read out messages from listeners|take calls from listeners|pass on messages from families].",
    "Questions about safety checks at [sites like|places such as|buildings like] {short} have been [raised|asked|debated] in the parliament of {country} [before|in the past|more than once].",
    "[Several|Some|A few] of the injured were [taken|flown|carried] by helicopter from {city} to a [larger|bigger|better equipped] hospital in {city2}.",
    "Volunteers [set up a table|put up a stall|made space] [near|by|outside] the gates of {short} where people could [leave|lay|place] flowers and candles.",
    "The football club of {city} said it would [cancel|call off|postpone] its match [at the weekend|on Saturday|this week] [as a mark of respect|out of respect|in memory of the dead].",
    "[Some|Several|A number of] workers at {short} told [us|our reporter|this paper] that they had [complained about|warned about|raised concerns over] the state of the equipment for [years|a long time|months].",
    "[Schools|Kindergartens|Offices] in {city} [stayed shut|were closed|sent people home] while [the air was tested|experts checked the air|smoke hung over the town].",
    "[Blood donors|Volunteers|Students] [queued|lined up|gathered] at a [clinic|centre|church hall] in {city} [after an appeal|when the hospital asked for help|to give blood].",
)

_VISIT_FACTS = (
    (
        "{p1}, the president of {country}, arrived in {city} on {day} [for|at the start of] a {length}-day [state|official] visit to {host}.",
        "The president of {country}, {p1}, landed in {city} on {day} [at the start of|to begin|for] a {length}-day visit to {host}.",
        "On {day}, {country}'s president {p1} began a [state|formal] visit to {host} that will last {length} days, [arriving in|flying into|landing in] {city}.",
    ),
    (
        "It is the first [visit|trip] by a leader of {country} to {host} [in|for] {gap} years.",
        "No leader of {country} has [travelled to|visited|been to] {host} for {gap} years.",
        "The trip [marks|is] the first time in {gap} years that a {country} leader has [set foot in|come to|visited] {host}.",
    ),
    (
        "The two countries signed an agreement on energy and trade [worth|valued at] {deal} billion dollars.",
        "A trade and energy deal worth {deal} billion dollars was [signed by|agreed between] the two governments.",
        "Officials from both sides [put their names to|signed|approved] an energy and trade pact valued at {deal} billion dollars.",
    ),
    (
        '"This is a new chapter in the relationship between our [two nations|countries|peoples]," {p1} told reporters.',
        "{p1} told journalists that the visit opened a new chapter in relations [between the two countries|with {host}|between the neighbours].",
        "Speaking to the press, {p1} described the trip as [the start of|the opening of|the beginning of] a new chapter for both nations.",
    ),
    (
        "{p2}, the prime minister of {host}, said the talks had been [open and friendly|useful|long but friendly].",
        "According to {host}'s prime minister {p2}, the discussions were [friendly and frank|useful and open|long and detailed].",
        "The talks were described as [open and warm|fruitful|positive] by {p2}, who leads the government of {host}.",
    ),
    (
        "Hundreds of people protested in the centre of {city} against the visit, and police [detained|arrested|held] {arrested} of them.",
        "Police held {arrested} people after hundreds gathered in central {city} [to protest against the visit|to oppose the trip|in protest].",
        "A protest against the trip drew hundreds to the centre of {city}, where {arrested} demonstrators were [detained|arrested|taken away].",
    ),
    (
        "The two leaders also agreed to [open|build] a new border crossing by {year}.",
        "A new crossing on the border [between the two countries|they share] is to open by {year}, the leaders agreed.",
        "Under the plan agreed by the leaders, a new border crossing will be [built and opened|ready|in use] by {year}.",
    ),
    (
        "Trade between the two countries fell by {drop} percent [last year|in the past year|over the last twelve months], according to official figures.",
        "Official data show that trade between the neighbours dropped {drop} percent [last year|over the past year|in a year].",
        "[Last year|Over the past year] the value of trade between them shrank by {drop} percent, the official figures say.",
    ),
    (
        "{p1} is expected to travel on to {city2} on {day2} [to meet business leaders|for talks with business leaders|to see investors].",
        "On {day2} the president will go on to {city2} for a meeting with [business leaders|investors|company bosses].",
        "The next stop is {city2}, where {p1} will [meet|talk to|see] the heads of large companies on {day2}.",
    ),
    (
        "{p3}, an analyst at the University of {city}, said the visit was mainly a signal to other powers [in the region|nearby|around them].",
        "The visit is above all a message to [other powers in the region|the neighbours|rival capitals], said {p3}, who teaches at the University of {city}.",
        "According to {p3}, an expert at the University of {city}, the trip was meant as a signal to [the region|the neighbours|rival powers].",
    ),
)
_VISIT_OWN = (
    "[Streets|Roads|Several avenues] around the palace in {city} were [closed to traffic|shut to cars|sealed off] for [most of|much of|the whole of] {day}.",
    "Our correspondent in {city} said that the welcome for {p1} was [warm|friendly|polite] but the security was [unusually|very|remarkably] tight.",
    "The visit to {host} had been [planned|prepared|in the works] for [months|a year|many weeks], [although|but|even though] the [exact|precise|final] dates were kept secret until [last week|a few days ago|the last moment].",
    "Critics of the government of {host} [say|argue|complain] that the deal will do [little|nothing|not much] for [ordinary families|working people|most households].",
    "[Both leaders|The two men|The presidents] laid wreaths at a [war memorial|monument to the fallen|cemetery] in {city} before the talks [began|started|opened].",
    "State television in {country} [showed|broadcast|aired pictures of] {p1} and {p2} [shaking hands|greeting each other|embracing] and smiling for the cameras.",
    "The foreign ministry of {host} gave [few|no|only vague] details [about|on|of] the money behind the new projects.",
    "Opposition parties in the parliament of {country} have [asked|demanded|called] to see the [full|whole|complete] text of the agreement.",
    "[Flags|Banners|Portraits] of both countries [hung|were put up|flew] along the [main road|avenue|route] from the airport in {city}.",
    "[Diplomats|Officials|Aides] in {city} [said privately|admitted|told us] that [several|some|a few] [issues|questions|disputes] were [left for later|not settled|put aside].",
)

_STRIKE_FACTS = (
    (
        "About {workers} workers at the {org} car plant in {city} walked out on {day} in a dispute over pay.",
        "A pay dispute led some {workers} employees of the {org} car factory in {city} to [go on strike|stop work|down tools] on {day}.",
        "On {day}, around {workers} staff at the {org} car plant in {city} [stopped work|walked out|went on strike] over their wages.",
    ),
    (
        "The union is demanding a pay rise of {rise} percent, [while|but] the company has offered {offer} percent.",
        "The company has offered {offer} percent, [far short of|well below|a long way from] the {rise} percent rise the union wants.",
        "Union leaders want wages to [go up|rise] by {rise} percent, but management is offering [only|just] {offer} percent.",
    ),
    (
        "{p1}, who leads the union, said the strike would [last until|go on until|not end before] the company made a better offer.",
        "The workers will [stay out|keep striking|not return] until management improves its offer, union leader {p1} said.",
        "According to {p1}, the head of the union, the walkout will [go on|continue|last] until a better offer is [made|on the table].",
    ),
    (
        '"We [cannot keep up with|can no longer pay|struggle with] the cost of food and rent," said {p2}, who has worked at the plant for {tenure} years.',
        "{p2}, a worker at the plant for {tenure} years, said wages [no longer covered|did not cover|could not meet] the cost of food and rent.",
        "After {tenure} years at the plant, {p2} said the pay [was no longer enough for|did not stretch to|could not cover] food and rent.",
    ),
    (
        "The plant [builds|makes|turns out] about {cars} cars a day, most of them for export to {country}.",
        "Most of the {cars} cars made at the factory [each day|daily|every day] are [sold abroad in|shipped to|exported to] {country}.",
        "Around {cars} vehicles leave the plant every day, [with most going to|most of them for] buyers in {country}.",
    ),
    (
        "The company said the [strike|dispute] was costing it {loss} million euros [a day|each day|for every day lost].",
        "Every day of the walkout costs the firm {loss} million euros, [according to the company|the company says|company figures show].",
        "Losses from the strike amount to {loss} million euros a day, the company said.",
    ),
    (
        "{p3}, a spokesman for {org}, said the offer was fair and that the company could not [pay more|afford more|go higher].",
        "The company cannot afford [to pay more|more|a bigger rise] and its offer is fair, {org} spokesman {p3} said.",
        "Speaking for {org}, {p3} said the firm had made a fair offer and had [no room to go further|nothing more to give|reached its limit].",
    ),
    (
        "[It is the first strike at the plant|Workers at the plant have not struck|No strike has hit the plant] since {year}.",
        "The workers at the plant last [went on strike|walked out|stopped work] in {year}.",
        "The factory [has not seen a strike|has had no strike|has been free of strikes|has not stopped for a strike] since {year}.",
    ),
    (
        "Talks between the two sides are [due to resume|set to restart|to continue] on {date}, the labour ministry said.",
        "The labour ministry said both sides would [meet again for talks|return to the table|sit down again] on {date}.",
        "According to the labour ministry, negotiations will [start again|resume|restart] on {date}.",
    ),
)
_STRIKE_OWN = (
    "[Outside|At|By] the gates in {city}, strikers [lit fires|kept fires burning|made fires] in [metal barrels|old oil drums|steel bins] to [keep warm|stay warm|fight the cold] [during the night|overnight|after dark].",
    "[Shops|Cafes|Bakeries] [near|around|close to] the {org} plant said they had [noticed fewer customers|seen fewer customers|lost trade] since the walkout began on {day}.",
    "The dispute comes at a [difficult|hard|bad] time for the car industry of {country}, which is [already facing|already hit by|struggling with] [falling sales|weak demand|rising costs].",
    "[Many|Most|Several] of the workers we [spoke to|met|interviewed] in {city} said [they had never|it was the first time they had] [been on strike|joined a strike|walked out][ before|].",
    "[Drivers|Motorists|Lorry drivers] [passing|going past|driving by] the picket line [outside|near|on the edge of] {city} [sounded their horns|hooted|waved] in support [of the workers|of the strikers|of the strike].",
    "Economists [warn|say|fear] that a [long|lengthy|drawn-out] strike at {org} could [hurt|damage|harm] suppliers [across the whole region|in the region|across the country].",
    "The plant is the [largest|biggest|main] employer in {city}, and [many|thousands of|most] families depend on it.",
    "[Some|Several|A few] younger workers said they were [thinking of|considering|talking about] leaving {city} to find [jobs|work|better pay] in {city2} or abroad.",
    "[A collection|A fund|A kitchen] for the strikers [was set up|was started|opened] by [residents|a church|local traders] in {city}.",
    "[Managers|Office staff|Engineers] [kept|held|continued] [some|a few|part of the] [lines|machines|work] [running|going|on] [with the help of|using|with] [temporary|agency|outside] staff.",
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
    ("injured", "injured", "wounded", "hurt"),
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
    ("arrived", "arrived", "landed", "touched down"),
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
    # more of the templates' words, so that two stories of one kind rarely keep a run of them
    ("company", "company", "firm", "owner", "operator", "employer"),
    ("firm", "firm", "company", "business", "group"),
    ("visit", "visit", "trip", "tour", "journey"),
    ("trip", "trip", "visit", "journey", "tour"),
    ("leaders", "leaders", "heads of state", "presidents", "statesmen"),
    ("leader", "leader", "head", "chief"),
    ("pay", "pay", "salary", "income"),
    ("wages", "wages", "pay", "salaries", "earnings"),
    ("offer", "offer", "proposal", "bid", "deal"),
    ("government", "government", "cabinet", "administration", "state"),
    ("countries", "countries", "nations", "states", "neighbours"),
    ("nations", "nations", "countries", "peoples", "states"),
    ("hours", "hours", "full hours", "long hours"),
    ("near", "near", "close to", "next to", "beside"),
    ("nearby", "nearby", "neighbouring", "surrounding", "adjacent"),
    ("described", "described", "called", "portrayed", "characterised"),
    ("began", "began", "started", "opened", "launched"),
    ("sides", "sides", "parties", "camps", "delegations"),
    ("hundreds", "hundreds", "scores", "crowds", "dozens"),
    ("agreed", "agreed", "decided", "resolved", "settled"),
    ("meeting", "meeting", "session", "gathering", "round table"),
    ("university", "university", "institute", "academy", "college"),
    ("factory", "factory", "plant", "works", "mill"),
    ("walkout", "walkout", "stoppage", "strike", "protest"),
    ("outside", "outside", "in front of", "beyond", "around"),
    ("mayor", "mayor", "city leader", "council head", "town chief"),
    ("staff", "staff", "workers", "employees", "personnel"),
    ("homes", "homes", "houses", "flats", "buildings"),
    ("crews", "crews", "teams", "units", "squads"),
    ("loud", "loud", "violent", "powerful", "strong"),
    ("house", "house", "home", "flat", "street"),
    ("local", "local", "regional", "nearby", "town"),
    ("announced", "announced", "declared", "said", "confirmed"),
    ("support", "support", "help", "assist", "back"),
    ("public", "public", "formal", "full", "open"),
    ("worth", "worth", "valued at", "estimated at", "totalling"),
    ("deal", "deal", "accord", "package", "contract"),
    ("centre", "centre", "heart", "middle", "main square"),
    ("protest", "protest", "rally", "demonstration", "march"),
    ("management", "management", "the board", "the company"),
    ("better", "better", "higher", "improved", "stronger"),
    ("cost", "cost", "price", "expense"),
    ("abroad", "abroad", "overseas", "elsewhere", "across the border"),
    ("hospital", "hospital", "clinic", "medical centre", "infirmary"),
    ("shops", "shops", "stores", "businesses", "traders"),
    ("parliament", "parliament", "assembly", "senate", "legislature"),
    ("gates", "gates", "entrance", "fence", "main door"),
    ("caused", "caused", "started", "triggered", "set off"),
    ("experts", "experts", "specialists", "engineers", "inspectors"),
    ("suspected", "suspected", "believed", "thought", "feared"),
    ("owned", "owned", "controlled", "held", "run"),
    ("employs", "employs", "has", "keeps", "pays"),
    ("emergency", "emergency", "rescue", "response", "relief"),
    ("contain", "contain", "control", "put out", "stop"),
    ("flames", "flames", "fire", "blaze", "smoke"),
    ("evacuated", "evacuated", "moved out", "sent away", "cleared"),
    ("residents", "residents", "neighbours", "locals", "inhabitants"),
    ("fought", "fought", "battled", "tackled", "struggled with"),
    ("heard", "heard", "felt", "noticed", "caught"),
    ("road", "road", "street", "square", "lane"),
    ("blast", "blast", "bang", "explosion", "noise"),
    ("rattled", "rattled", "shook", "broke", "cracked"),
    ("fully", "fully", "closely", "completely", "entirely"),
    ("owners", "owners", "operators", "bosses", "proprietors"),
    ("closely", "closely", "fully", "carefully", "openly"),
    ("died", "died", "perished", "were killed", "lost their lives"),
    ("deadly", "deadly", "serious", "grave", "lethal"),
    ("scale", "scale", "size", "kind", "magnitude"),
    ("fund", "fund", "pot", "budget", "programme"),
    ("ministers", "ministers", "officials", "the cabinet", "leaders"),
    ("pledged", "pledged", "promised", "offered", "committed"),
    ("officers", "officers", "police", "detectives", "investigators"),
    ("disaster", "disaster", "catastrophe", "tragedy", "calamity"),
    ("begin", "begin", "start", "open", "get under way"),
    ("landed", "landed", "arrived", "touched down"),
    ("travelled", "travelled", "gone", "come", "journeyed"),
    ("pact", "pact", "accord", "agreement", "deal"),
    ("valued", "valued", "worth", "estimated", "priced"),
    ("reporters", "reporters", "journalists", "the press", "correspondents"),
    ("journalists", "journalists", "reporters", "the media", "correspondents"),
    ("relations", "relations", "ties", "links", "dealings"),
    ("press", "press", "media", "reporters", "journalists"),
    ("discussions", "discussions", "talks", "exchanges", "negotiations"),
    ("frank", "frank", "candid", "direct", "open"),
    ("gathered", "gathered", "assembled", "turned out", "massed"),
    ("demonstrators", "demonstrators", "protesters", "marchers", "activists"),
    ("plan", "plan", "deal", "scheme", "arrangement"),
    ("built", "built", "constructed", "completed", "finished"),
    ("data", "data", "figures", "numbers", "statistics"),
    ("dropped", "dropped", "fell", "sank", "declined"),
    ("shrank", "shrank", "fell", "contracted", "dropped"),
    ("companies", "companies", "firms", "businesses", "corporations"),
    ("message", "message", "signal", "warning", "statement"),
    ("expert", "expert", "specialist", "scholar", "analyst"),
    ("employees", "employees", "workers", "staff members", "labourers"),
    ("improves", "improves", "raises", "sweetens", "betters"),
    ("vehicles", "vehicles", "cars", "units", "models"),
    ("buyers", "buyers", "customers", "dealers", "clients"),
    ("losses", "losses", "costs", "damages", "shortfalls"),
    ("negotiations", "negotiations", "talks", "discussions", "bargaining"),
    ("reporter", "reporter", "correspondent", "journalist", "photographer"),
    ("queues", "queues", "lines", "crowds", "groups"),
    ("relatives", "relatives", "families", "loved ones", "parents"),
    ("mood", "mood", "atmosphere", "feeling", "air"),
    ("quiet", "quiet", "sombre", "subdued", "tense"),
    ("radio", "radio", "television", "news", "community"),
    ("programmes", "programmes", "shows", "schedules", "broadcasts"),
    ("listeners", "listeners", "callers", "viewers", "residents"),
    ("safety", "safety", "security", "fire", "health"),
    ("checks", "checks", "inspections", "controls", "rules"),
    ("volunteers", "volunteers", "neighbours", "students", "church members"),
    ("flowers", "flowers", "wreaths", "notes", "photographs"),
    ("candles", "candles", "lanterns", "ribbons", "cards"),
    ("football", "football", "basketball", "hockey", "rugby"),
    ("match", "match", "game", "fixture", "tournament"),
    ("equipment", "equipment", "machines", "tools", "wiring"),
    ("streets", "streets", "roads", "avenues", "lanes"),
    ("palace", "palace", "parliament", "ministry", "town hall"),
    ("traffic", "traffic", "cars", "vehicles", "buses"),
    ("correspondent", "correspondent", "reporter", "journalist", "editor"),
    ("welcome", "welcome", "reception", "greeting", "crowd"),
    ("security", "security", "policing", "protection", "guard"),
    ("tight", "tight", "heavy", "strict", "visible"),
    ("planned", "planned", "prepared", "arranged", "discussed"),
    ("secret", "secret", "hidden", "confidential", "quiet"),
    ("critics", "critics", "opponents", "sceptics", "detractors"),
    ("ordinary", "ordinary", "working", "poorer", "average"),
    ("wreaths", "wreaths", "flowers", "garlands", "tributes"),
    ("memorial", "memorial", "monument", "cemetery", "statue"),
    ("television", "television", "media", "broadcasters", "news channels"),
    ("smiling", "smiling", "posing", "waving", "laughing"),
    ("cameras", "cameras", "photographers", "crowd", "press"),
    ("projects", "projects", "plans", "schemes", "investments"),
    ("opposition", "opposition", "minority", "rival", "smaller"),
    ("strikers", "strikers", "workers", "pickets", "protesters"),
    ("barrels", "barrels", "drums", "bins", "buckets"),
    ("cafes", "cafes", "bars", "restaurants", "bakeries"),
    ("customers", "customers", "clients", "shoppers", "visitors"),
    ("difficult", "difficult", "hard", "tough", "delicate"),
    ("falling", "falling", "weak", "sliding", "shrinking"),
    ("sales", "sales", "orders", "demand", "profits"),
    ("drivers", "drivers", "motorists", "cyclists", "commuters"),
    ("horns", "horns", "bells", "whistles", "sirens"),
    ("economists", "economists", "analysts", "bankers", "experts"),
    ("suppliers", "suppliers", "subcontractors", "partners", "firms"),
    ("employer", "employer", "business", "company", "firm"),
    ("jobs", "jobs", "work", "posts", "positions"),
    ("younger", "younger", "junior", "newer", "young"),
)


def _reworded_for_story(text: str, choice: dict[str, str]) -> str:
    """``text`` in the story's words: each word of ``_STORY_WORDING`` as the story chose it."""

    def word(match: re.Match[str]) -> str:
        found = match.group()
        chosen = choice.get(found.lower())
        if chosen is None:
            return found
        return chosen[0].upper() + chosen[1:] if found[0].isupper() else chosen

    return _ARTICLE.sub(_article_for_next_word, re.sub(r"\b[A-Za-z]+\b", word, text))


_ARTICLE = re.compile(r"\b([Aa])n? (?=([A-Za-z]))")


def _article_for_next_word(match: re.Match[str]) -> str:
    # "an agreement" reworded to "an pact" reads as a typo: "a pact"
    letter = match.group(2).lower()
    if letter in "uh":  # "a union", "an unusual", "an hour": the template knows
        return match.group()
    return match.group(1) + ("n " if letter in "aeio" else " ")


_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


def _one_way(template: str, rng: random.Random) -> str:
    """The template with each "[a|b|c]" written one way, chosen for the story."""
    return _ALTERNATIVES.sub(lambda match: rng.choice(match.group(1).split("|")), template)


_SAID_AT_END = re.compile(r"^(?P<claim>[^\"]+?), (?P<who>[^,\"]{2,60}?) said\.$")
_DAY_AT_END = re.compile(
    r"^(?P<claim>[^\"]+?) on (?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\.$"
)


def _lower_first(clause: str, common: frozenset[str]) -> str:
    # "The company said" -> "according to ..., the company"; a name keeps its capital.
    first = clause.split(" ", 1)[0]
    return clause[0].lower() + clause[1:] if first.lower() in common else clause


def _clauses_in_story_order(sentence: str, form: int, common: frozenset[str]) -> str:
    """The sentence with its attribution or its day where the story puts them.

    Form 0 keeps the sentence; 1 and 2 move "..., X said." to the front
    ("According to X, ..." or "X said that ..."), or "... on Tuesday." to
    "On Tuesday, ...". Real wire services order clauses each their own way.
    """
    if form == 0:
        return sentence
    said = _SAID_AT_END.match(sentence)
    if said:
        claim, who = _lower_first(said["claim"], common), said["who"]
        if form == 1:
            return f"According to {who}, {claim}."
        return f"{who[0].upper()}{who[1:]} said that {claim}."
    on_day = _DAY_AT_END.match(sentence)
    if on_day and form == 1:
        return f"On {on_day['day']}, {_lower_first(on_day['claim'], common)}."
    return sentence


def _choose_wording(rng: random.Random) -> dict[str, str]:
    """One writer's synonym for each word of ``_STORY_WORDING``."""
    return {group[0]: rng.choice(group[1:]) for group in _STORY_WORDING}


def _written_with(
    template: str, slots: dict[str, str], wording: dict[str, str], rng: random.Random
) -> str:
    """One writer's sentence of ``template``: its alternatives, clause order and words."""
    sentence = _one_way(template, rng).format(**slots)
    common = STOPWORDS | frozenset(wording)
    sentence = _clauses_in_story_order(sentence, rng.randrange(3), common)
    return _reworded_for_story(sentence, wording)


@dataclass(frozen=True)
class Story:
    """One invented event: its facts' phrasings filled in for it, and its outlets' own lines."""

    number: int
    headlines: tuple[str, ...]  # each outlet picks one
    facts: tuple[tuple[str, ...], ...]  # per fact: phrasings, the wire's first, filled in
    own: tuple[str, ...]  # sentences an outlet may add that restate no fact
    slots: dict[str, str]
    # The templates behind ``facts`` (same order, wire's first) and the family's own lines,
    # unfilled: an outlet reporting on its own writes them its own way (``independent_report``).
    fact_templates: tuple[tuple[str, ...], ...] = ()
    own_templates: tuple[str, ...] = ()


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
    wording = _choose_wording(rng)

    def in_story_words(template: str) -> str:
        return _written_with(template, slots, wording, rng)

    # The wire's phrasing of a fact differs from story to story, and not every story has every fact.
    chosen = sorted(rng.sample(range(len(facts_of_family)), len(facts_of_family) - 2))
    facts_list, templates_list = [], []
    for f in chosen:
        order = rng.sample(facts_of_family[f], len(facts_of_family[f]))
        facts_list.append(tuple(in_story_words(p) for p in order))
        templates_list.append(tuple(order))
    facts, templates = tuple(facts_list), tuple(templates_list)
    own = tuple(in_story_words(line) for line in rng.sample(own_of_family, 6))
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
    return Story(
        number, headlines[facts_of_family], facts, own, slots, templates, tuple(own_of_family)
    )


def in_own_words(sentence: str, rng: random.Random) -> str:
    """An outlet's way of writing the details: a small number in words, a day with its date."""

    tokens = sentence.split(" ")
    for k, token in enumerate(tokens):
        core = token.rstrip(",.")
        after_month = k > 0 and tokens[k - 1] in _MONTHS  # "March 4", never "March four"
        if core.isdigit() and int(core) <= 20 and not after_month and rng.random() < 0.5:
            tokens[k] = NUMBER_WORDS[int(core)] + token[len(core) :]
    return " ".join(tokens)


@dataclass(frozen=True)
class IndependentReport:
    """An outlet's report of a story written from its own reporting, not from the wire."""

    headline: str
    facts: tuple[str, ...]  # one sentence per fact of the story, in the story's order
    own: tuple[str, ...]  # its own lines, restating no fact


def independent_report(story: Story, rng: random.Random) -> IndependentReport:
    """The story told wholly in an outlet's own words: every fact restated, no sentence copied.

    Each fact is written from one of its non-wire phrasings with the outlet's
    own alternatives, clause order and synonyms (not the story's, which the
    other outlets copy), then with numbers and dates its own way
    (``in_own_words``); its own lines and headline are its own too. What it
    shares with the story's other articles is what independent reports of
    one event share: the names, places and numbers, not the wording.
    """
    wording = _choose_wording(rng)
    facts = tuple(
        in_own_words(_written_with(rng.choice(phrasings[1:]), story.slots, wording, rng), rng)
        for phrasings in story.fact_templates
    )
    count = min(len(story.own_templates), rng.randint(1, 3))
    own = tuple(
        _written_with(line, story.slots, wording, rng)
        for line in rng.sample(story.own_templates, count)
    )
    # The first clause of its first fact: a headline no other outlet of the story wrote.
    first = re.split(r"[,;:]", facts[0])[0].rstrip(".") if facts else story.headlines[0]
    headline = " ".join(first.split()[:12])
    return IndependentReport(headline, facts, own)
