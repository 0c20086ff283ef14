"""Country names as they appear in affiliation strings, mapped to ISO 3166 alpha-2 codes.

Keys are written folded (see `text.fold`) with stop words kept; `detect_countries` looks them up
as token phrases. Some phrases name more than one possible country ("georgia", "congo") or a
sub-national place that is unambiguous about its country ("new south wales", "england").
"""

from __future__ import annotations

_TABLE = """
AD andorra
AE united arab emirates|uae|u a e
AF afghanistan
AL albania|shqiperia
AM armenia
AO angola
AR argentina
AT austria|osterreich
AU australia|new south wales|queensland|western australia|tasmania
AZ azerbaijan
BA bosnia and herzegovina|bosnia|herzegovina
BB barbados
BD bangladesh
BE belgium|belgique|belgie|belgien
BF burkina faso
BG bulgaria
BH bahrain
BI burundi
BJ benin
BN brunei|brunei darussalam
BO bolivia
BR brazil|brasil
BS bahamas
BT bhutan
BW botswana
BY belarus
BZ belize
CA canada|ontario|quebec|british columbia|alberta|nova scotia|manitoba|saskatchewan
CD democratic republic of the congo|dr congo|drc|congo
CF central african republic
CG republic of the congo|congo republic|congo brazzaville|congo
CH switzerland|schweiz|suisse|svizzera
CI ivory coast|cote d ivoire|cote divoire
CL chile
CM cameroon|cameroun
CN china|p r china|pr china|prc|peoples republic of china|people s republic of china
CN zhongguo|中国|中华人民共和国
CO colombia
CR costa rica
CU cuba
CV cabo verde|cape verde
CY cyprus
CZ czechia|czech republic|ceska republika
DE germany|deutschland|allemagne|alemania
DK denmark|danmark
DO dominican republic
DZ algeria|algerie
EC ecuador
EE estonia|eesti
EG egypt
ES spain|espana|espanya
ET ethiopia
FI finland|suomi
FJ fiji
FR france
GA gabon
GB united kingdom|uk|u k|great britain|britain|england|scotland|wales|northern ireland
GE georgia
US georgia
GH ghana
GM the gambia|gambia
GN guinea
GQ equatorial guinea
GR greece|hellas
GT guatemala
GW guinea bissau
HK hong kong|hongkong|hong kong sar
HN honduras
HR croatia|hrvatska
HT haiti
HU hungary|magyarorszag
ID indonesia
IE ireland|eire
IL israel
IN india|bharat
IQ iraq
IR iran|islamic republic of iran
IS iceland
IT italy|italia
JM jamaica
JO jordan
JP japan|nippon|日本
KE kenya
KG kyrgyzstan|kyrgyz republic
KH cambodia
KP north korea|democratic people s republic of korea
KR south korea|republic of korea|korea|korea south|대한민국|한국
KW kuwait
KZ kazakhstan
LA laos|lao pdr
LB lebanon
LK sri lanka
LR liberia
LS lesotho
LT lithuania|lietuva
LU luxembourg
LV latvia|latvija
LY libya
MA morocco|maroc
MC monaco
MD moldova|republic of moldova
ME montenegro
MG madagascar
MK north macedonia|macedonia
ML mali
MM myanmar|burma
MN mongolia
MO macao|macau
MT malta
MU mauritius
MV maldives
MW malawi
MX mexico|mexique
MY malaysia
MZ mozambique
NA namibia
NE niger
NG nigeria
NI nicaragua
NL the netherlands|netherlands|nederland|holland
NO norway|norge
NP nepal
NZ new zealand|aotearoa
OM oman
PA panama
PE peru
PG papua new guinea
PH philippines|the philippines
PK pakistan
PL poland|polska
PR puerto rico
PS palestine|state of palestine
PT portugal
PY paraguay
QA qatar
RO romania
RS serbia|srbija
RU russia|russian federation|rossiya|россия
RW rwanda
SA saudi arabia|kingdom of saudi arabia|ksa
SD sudan
SE sweden|sverige
SG singapore
SI slovenia|slovenija
SK slovakia|slovak republic
SL sierra leone
SN senegal
SO somalia
SR suriname
SS south sudan
SV el salvador
SY syria|syrian arab republic
TD chad
TG togo
TH thailand|ประเทศไทย
TJ tajikistan
TL timor leste|east timor
TM turkmenistan
TN tunisia
TR turkey|turkiye
TT trinidad and tobago|trinidad
TW taiwan|republic of china taiwan|台灣|台湾
TZ tanzania
UA ukraine|україна
UG uganda
US united states|united states of america|usa|u s a|us|u s
UY uruguay
UZ uzbekistan
VE venezuela
VN vietnam|viet nam
XK kosovo
YE yemen
ZA south africa
ZM zambia
ZW zimbabwe
"""

# Places whose name contains a country's name but which are elsewhere.
_NOT_COUNTRIES = (
    "new mexico",
    "new jersey",
    "jersey city",
    "georgia state",
    "lebanon nh",
    "guinea pig",
    "indiana",
    "new england",
    "new guinea",
)


def _build() -> dict[tuple[str, ...], frozenset[str]]:
    table: dict[tuple[str, ...], set[str]] = {}
    for line in _TABLE.strip().splitlines():
        code, names = line.split(" ", 1)
        for name in names.split("|"):
            table.setdefault(tuple(name.split()), set()).add(code)
    for phrase in _NOT_COUNTRIES:
        table[tuple(phrase.split())] = set()
    return {k: frozenset(v) for k, v in table.items()}


COUNTRY_PHRASES: dict[tuple[str, ...], frozenset[str]] = _build()
MAX_COUNTRY_PHRASE = max(len(k) for k in COUNTRY_PHRASES)
# "US" and "UK" are also ordinary words once folded ("us"); they count only when written upper-case.
UPPER_ONLY = frozenset({("us",), ("uk",), ("u", "s"), ("u", "k"), ("prc",), ("ksa",), ("drc",)})
