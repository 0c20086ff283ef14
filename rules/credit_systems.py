"""Credit systems and their ECTS-equivalents: the one place the platform states these facts
(recognition's workload assessment and catalogue, mobility's credit transfer both read it).

`ects_per_credit` is the factor that converts one credit of the system into ECTS credits;
`hours_per_credit` is what the system's own rules state, and `assumption` says how the factor
was derived. The factor is a convention for comparing workload, not a legal equivalence: every
conversion shows it beside the result, with the source. `per_year_full_time` is the credits of
one full-time year, where stated.
"""

from __future__ import annotations

from dataclasses import dataclass

# The midpoint of the ECTS Users' Guide's 25-30 hours of work per credit.
HOURS_PER_ECTS_ASSUMED = 27.5


@dataclass(frozen=True)
class Source:
    """Where a fact comes from; `verified` is False for facts not checked against it."""

    title: str
    url: str | None
    verified: bool


@dataclass(frozen=True)
class HoursPerCredit:
    minimum: float
    maximum: float
    kind: str | None = None  # contact, notional or total hours; None for ECTS itself


@dataclass(frozen=True)
class CreditSystem:
    code: str
    name: str
    ects_per_credit: float
    assumption: str
    source: Source
    countries: tuple[str, ...] = ()
    hours_per_credit: HoursPerCredit | None = None
    per_year_full_time: float | None = None


ECTS_GUIDE = Source(
    title="European Commission, ECTS Users' Guide 2015: 60 credits for one academic year of "
    "full-time study, one credit 25-30 hours of work",
    url="https://education.ec.europa.eu/document/ects-users-guide-2015",
    verified=True,
)
_CN = Source(
    title="edunode reference data (node default): a Chinese credit (学分) is usually earned with "
    "14-24 contact hours (commonly 16-18 per semester course); 1 credit ≈ 1.5 ECTS is the default "
    "here, to be overridden by the programme's own hours",
    url=None,
    verified=False,
)
_MY = Source(
    title="Malaysian Qualifications Agency, MQF 2nd edition (2017): one credit = 40 notional "
    "learning hours",
    url="https://www.mqa.gov.my/",
    verified=True,
)
_US = Source(
    title="US Code of Federal Regulations 34 CFR 600.2 (credit hour: one hour of classroom and two "
    "hours of out-of-class work per week for about 15 weeks); the factor 2 ECTS per semester "
    "credit (30 credits per year ≈ 60 ECTS) is a common convention, not a rule",
    url="https://www.ecfr.gov/current/title-34/subtitle-B/chapter-VI/part-600/subpart-A/"
    "section-600.2",
    verified=False,
)
_UK = Source(
    title="QAA, Higher education credit framework for England (2021): one credit = 10 notional "
    "hours; 2 credits = 1 ECTS credit",
    url="https://www.qaa.ac.uk/",
    verified=True,
)
_ID = Source(
    title="Permendikbud No. 3/2020 (Standar Nasional Pendidikan Tinggi): one SKS = 170 minutes "
    "of learning per week over a semester of at least 16 weeks (≈45 hours); Sarjana at least 144 "
    "SKS",
    url=None,
    verified=False,
)

CREDIT_SYSTEMS: dict[str, CreditSystem] = {
    system.code: system
    for system in (
        CreditSystem(
            code="ECTS",
            name="European Credit Transfer and Accumulation System",
            hours_per_credit=HoursPerCredit(25, 30),
            ects_per_credit=1.0,
            per_year_full_time=60,
            assumption="ECTS itself",
            source=ECTS_GUIDE,
        ),
        CreditSystem(
            code="CN",
            name="Chinese university credit (学分)",
            countries=("CN",),
            hours_per_credit=HoursPerCredit(14, 24, "contact"),
            ects_per_credit=1.5,
            per_year_full_time=40,
            assumption="contact hours plus self-study; ≈1.5 ECTS per credit as the node's default",
            source=_CN,
        ),
        CreditSystem(
            code="MY",
            name="Malaysian credit (MQF)",
            countries=("MY",),
            hours_per_credit=HoursPerCredit(40, 40, "notional"),
            ects_per_credit=1.4545,
            per_year_full_time=40,
            assumption="40 notional hours ÷ 27.5 hours per ECTS credit (the midpoint of 25-30)",
            source=_MY,
        ),
        CreditSystem(
            code="US-SCH",
            name="US semester credit hour",
            countries=("US",),
            hours_per_credit=HoursPerCredit(45, 45, "total"),
            ects_per_credit=2.0,
            per_year_full_time=30,
            assumption="30 semester credits per full-time year ≈ 60 ECTS",
            source=_US,
        ),
        CreditSystem(
            code="UK-CATS",
            name="UK credit (CATS)",
            countries=("GB",),
            hours_per_credit=HoursPerCredit(10, 10, "notional"),
            ects_per_credit=0.5,
            per_year_full_time=120,
            assumption="2 UK credits = 1 ECTS credit",
            source=_UK,
        ),
        CreditSystem(
            code="ID-SKS",
            name="Indonesian semester credit unit (SKS)",
            countries=("ID",),
            hours_per_credit=HoursPerCredit(45, 45, "total"),
            ects_per_credit=1.65,
            per_year_full_time=36,
            assumption="170 minutes \N{MULTIPLICATION SIGN} 16 weeks ≈ 45.3 hours ÷ 27.5 hours "
            "per ECTS credit",
            source=_ID,
        ),
        # Africa and Latin America
        CreditSystem(
            code="KE-KNQF",
            name="Kenyan credit (KNQF)",
            countries=("KE",),
            hours_per_credit=HoursPerCredit(10, 10, "notional"),
            ects_per_credit=0.5,
            assumption="2 credits = 1 ECTS credit, as for the UK and South African credits of 10 "
            "notional hours (a full-time year of 120 credits = 60 ECTS); dividing the hours by "
            "27.5 would make a full-time year 44 ECTS, which understates it. Kenya's credits per "
            "full-time year not sourced",
            source=Source(
                title="Kenya National Qualifications Authority, Kenya National Qualifications "
                "Framework (volume of learning): 1 credit = 10 notional hours",
                url="https://knqa.go.ke/qualifications-framework/",
                verified=True,
            ),
        ),
        CreditSystem(
            code="ZA-NQF",
            name="South African credit (NQF)",
            countries=("ZA",),
            hours_per_credit=HoursPerCredit(10, 10, "notional"),
            ects_per_credit=0.5,
            per_year_full_time=120,
            assumption="120 credits a full-time year = 60 ECTS (2 credits = 1 ECTS credit, as for "
            "UK credits of 10 notional hours)",
            source=Source(
                title="Higher Education Qualifications Sub-Framework (2013): one credit = 10 "
                "notional hours of learning, 120 credits a year of full-time study (read in "
                "secondary sources, not in the HEQSF's text)",
                url=None,
                verified=False,
            ),
        ),
        CreditSystem(
            code="MX-SATCA",
            name="Mexican academic credit (SATCA)",
            countries=("MX",),
            hours_per_credit=HoursPerCredit(16, 16, "contact"),
            ects_per_credit=0.8,
            assumption="a licenciatura of at least 300 credits in four full-time years taken as "
            "240 ECTS (0.8 ECTS per credit); not an official equivalence",
            source=Source(
                title="ANUIES, Sistema de Asignación y Transferencia de Créditos Académicos "
                "(SATCA), approved by the XXXVIII General Assembly on 2007-10-30 (16 hours of "
                "teacher-led activity = 1 credit); Acuerdo SEP 279 (licenciatura at least 300 "
                "credits) not read",
                url=None,
                verified=False,
            ),
        ),
        CreditSystem(
            code="BR-CH",
            name="Brazilian workload hour (carga horária)",
            countries=("BR",),
            hours_per_credit=HoursPerCredit(1, 1, "contact"),
            ects_per_credit=0.08,
            assumption="Brazil has no national credit system: programmes state their carga "
            "horária in hours of activity; a four-year bacharelado of about 3,000 hours taken as "
            "240 ECTS (0.08 ECTS per hour); not an official equivalence",
            source=Source(
                title="edunode reference data (node default): carga horária of Brazilian "
                "graduação programmes (CNE/CES resolutions on minimum workloads not read)",
                url=None,
                verified=False,
            ),
        ),
        CreditSystem(
            code="AR-CH",
            name="Argentine workload hour (carga horaria)",
            countries=("AR",),
            hours_per_credit=HoursPerCredit(1, 1, "contact"),
            ects_per_credit=0.08,
            assumption="Argentine university programmes state their carga horaria in hours; about "
            "3,000 hours for a four-year licenciatura taken as 240 ECTS (0.08 ECTS per hour); not "
            "an official equivalence",
            source=Source(
                title="edunode reference data (node default): carga horaria of Argentine carreras "
                "de grado and posgrado (Resolución ME 160/2011 states posgrado minimum hours; not "
                "read)",
                url=None,
                verified=False,
            ),
        ),
        CreditSystem(
            code="AR-RTF",
            name="Argentine RTF (Reconocimiento de Trayecto Formativo)",
            countries=("AR",),
            hours_per_credit=HoursPerCredit(27, 30, "total"),
            ects_per_credit=1.0,
            assumption="27-30 hours of the student's total work, the range of one ECTS credit "
            "(25-30 hours)",
            source=Source(
                title="Sistema Nacional de Reconocimiento Académico, created by Resolución ME "
                "1870 E/2016 (October 2016): the RTF, a unit of 27-30 hours of student work "
                "towards the curricular requirements (Mónica Marquina, SPU, Nuevos Papeles, "
                "2018-10-10)",
                url="http://www.nuevospapeles.com/nota/14485-el-sistema-nacional-de-reconocimiento"
                "-academico-diseno-e-implementacion-de-una-politica-publica-con-universidades-"
                "autonomas",
                verified=True,
            ),
        ),
        CreditSystem(
            code="YEARS",
            name="Years of full-time study",
            ects_per_credit=60.0,
            per_year_full_time=1,
            assumption="one full-time year = 60 ECTS (ECTS Users' Guide)",
            source=ECTS_GUIDE,
        ),
    )
}


def credit_system(code: str) -> CreditSystem | None:
    """The credit system of `code` (any case), None if the reference data has none."""
    return CREDIT_SYSTEMS.get(code.strip().upper())


def home_credit_system(country: str) -> CreditSystem:
    """The credit system a country's institutions count in: the one naming the country, else
    ECTS (the EHEA's, and the reference every factor is stated against)."""
    wanted = country.strip().upper()
    return next(
        (s for s in CREDIT_SYSTEMS.values() if wanted in s.countries), CREDIT_SYSTEMS["ECTS"]
    )
