"""Affiliation matching rules that need a directory of a certain shape: names said of many
places, units of other institutions, schools named after their university, place words.

Each test builds its own small directory, with filler records where a word must be common
(in `SPECIFIC_DF` names or more) or a phrase said in several countries.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from services.institutions.directory.evidence import SPECIFIC_DF
from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.matcher import CHOOSE_THRESHOLD, match_affiliation
from services.institutions.directory.records import IndexedName, IndexRecord
from tests.institutions.test_matching_engine import chosen

DASH = "\u2013"  # as Charité writes its name
COUNTRIES = ["DE", "FR", "PL", "CZ", "IT", "ES", "NL", "SE"]


def record(
    name: str,
    country: str,
    city: str | None = None,
    *,
    parents: tuple[uuid.UUID, ...] = (),
    type_: str = "university",
) -> IndexRecord:
    return IndexRecord(
        id=uuid.uuid4(),
        country=country,
        status="active",
        type=type_,
        city=city,
        names=(IndexedName(value=name, lang="en", kind="official"),),
        parent_ids=parents,
    )


def with_acronym(item: IndexRecord, acronym: str) -> IndexRecord:
    return replace(item, names=(*item.names, IndexedName(acronym, None, "acronym")))


def fillers(pattern: str, countries: list[str]) -> list[IndexRecord]:
    """`SPECIFIC_DF` + 5 records named by `pattern` (with `{i}` numbered words), so that its
    words are common, spread over `countries`."""
    return [
        record(pattern.format(i=f"Zq{i:02d}x"), countries[i % len(countries)], f"Town{i:02d}")
        for i in range(SPECIFIC_DF + 5)
    ]


def build(*records: IndexRecord) -> DirectoryIndex:
    index = DirectoryIndex(records)
    index.warm_up()
    return index


def test_a_name_of_common_words_said_in_one_country_is_not_generic() -> None:
    cas = record("Chinese Academy of Sciences", "CN", "Beijing", type_="other_provider")
    index = build(cas, *fillers("Institute of {i} Studies, Chinese Academy of Sciences", ["CN"]))
    assert chosen(index, "Key Laboratory of Zqx, Chinese Academy of Sciences") == cas.id
    assert index.phrase_countries("chinese academy science") == 1


def test_a_name_said_in_many_countries_is_weak_inside_a_longer_segment() -> None:
    physics = record("Institute of Physics", "PL", "Krakow", type_="other_provider")
    index = build(physics, *fillers("{i} Institute of Physics", COUNTRIES))
    assert index.phrase_countries("institute physic") == len(COUNTRIES)
    # the name fills its segment: it is the institute's own name
    assert chosen(index, "Institute of Physics") == physics.id
    # inside a longer name, it is some other institute of physics
    assert chosen(index, "Ural Federal Institute of Physics and Engineering") is None
    # the city named gives it back some weight, but not enough to choose on
    candidates = match_affiliation(
        index, "Ural Federal Institute of Physics and Engineering, Krakow"
    )
    assert candidates and candidates[0].id == physics.id and not candidates[0].chosen


def test_a_unit_of_another_institution_is_chosen_only_beside_its_country_or_city() -> None:
    kaist = record("Korea Advanced Institute of Science and Technology", "KR", "Daejeon")
    biology = record("Department of Biological Sciences", "KR", "Daejeon", parents=(kaist.id,))
    index = build(kaist, biology)
    assert chosen(index, "Department of Biological Sciences") is None
    assert chosen(index, "Department of Biological Sciences, Daejeon") == biology.id
    assert (
        chosen(
            index,
            "Department of Biological Sciences, Korea Advanced Institute of Science and Technology",
        )
        == kaist.id
    )


def test_a_school_names_the_university_it_is_named_after() -> None:
    harvard = record("Harvard University", "US", "Cambridge")
    washu = record("Washington University in St. Louis", "US", "St. Louis")
    yale = record("Yale University", "US", "New Haven")
    cologne = record("University of Cologne", "DE", "Cologne")
    melbourne = record("University of Melbourne", "AU", "Melbourne")
    index = build(harvard, washu, yale, cologne, melbourne)
    assert chosen(index, "Department of Medicine, Harvard Medical School") == harvard.id
    assert chosen(index, "Harvard T.H. Chan School of Public Health") == harvard.id
    assert chosen(index, "Yale School of Medicine") == yale.id
    assert (
        chosen(index, "Department of Surgery, Washington University School of Medicine") == washu.id
    )
    # a school of its own, and a city's name that any of its schools may bear
    assert chosen(index, "Cologne Business School") is None
    assert chosen(index, "Melbourne Medical School") is None
    # a university's own name is not a school of it
    assert chosen(index, "Harvard Institute") is None


def test_a_school_is_not_guessed_between_two_universities() -> None:
    index = build(
        record("Duke University", "US", "Durham"),
        record("University of Duke", "GB", "London"),
    )
    assert chosen(index, "Duke School of Medicine") is None


def test_place_words_are_words_that_name_places_not_every_word_of_a_city() -> None:
    records = [
        record("Pennsylvania State University", "US", "University Park"),
        record("Free University of Berlin", "DE", "Berlin"),
        record("Technical University of Berlin", "DE", "Berlin"),
        *fillers("{i} University", COUNTRIES),
    ]
    index = build(*records)
    assert index.is_place_word("berlin")
    assert not index.is_place_word("university")
    assert not index.is_place_word("park") or index.term_frequency("park") < SPECIFIC_DF


def test_a_name_without_its_city_is_found() -> None:
    washu = record("Washington University in St. Louis", "US", "St. Louis")
    index = build(washu)
    found = index.names_with_key_sans_city("washington university")
    assert [index.record_at(index.names[nid].slot).id for nid in found] == [washu.id]
    assert index.names_with_key_sans_city("washington university st louis") == []


def test_a_university_system_is_chosen_only_when_the_string_says_system() -> None:
    system = record("University of California System", "US", "Oakland")
    alias = IndexedName(value="University of California", lang="en", kind="alias")
    # (the ROR import keeps an English display name as "english" beside foreign labels)
    spanish = IndexedName(value="Sistema Universitario de California", lang="es", kind="official")
    english = replace(system.names[0], kind="english")
    for names in ((*system.names, alias), (english, spanish, alias)):
        index = build(replace(system, names=names))
        assert chosen(index, "Department of Physics, University of California") is None
        text = "Office of the President, University of California System"
        assert chosen(index, text) == system.id


def test_a_parent_read_inside_its_childs_name_does_not_outrank_the_child() -> None:
    suny = with_acronym(record("State University of New York", "US", "Albany"), "SUNY")
    albany = record("University at Albany, SUNY", "US", "Albany", parents=(suny.id,))
    index = build(suny, albany)
    assert chosen(index, "Department of Biology, University at Albany, SUNY, USA") == albany.id
    # named on its own, beside the child's whole name, the parent still beats its child
    assert chosen(index, "University at Albany, SUNY, State University of New York") == suny.id


def test_a_long_acronym_held_by_one_institution_names_it_without_a_country() -> None:
    csiro = with_acronym(
        record("Commonwealth Scientific and Industrial Research Organisation", "AU", "Canberra"),
        "CSIRO",
    )
    limoges = record("University of Limoges", "FR", "Limoges")
    index = build(csiro, limoges, record("Universiti Malaya", "MY", "Kuala Lumpur"))
    assert chosen(index, "Land and Water, CSIRO") == csiro.id
    assert match_affiliation(index, "UM") == []  # short acronyms need the country
    # any name read in the string outranks a bare acronym
    assert chosen(index, "CSIRO, Campus Condorcet University of Limoges") == limoges.id


def test_a_company_is_found_without_the_country_its_name_ends_with() -> None:
    xenon = record("Xenon Pharmaceuticals (Canada)", "CA", "Burnaby", type_="other_provider")
    applications = record("Technology Applications (United States)", "US", type_="other_provider")
    index = build(xenon, applications, *fillers("{i} Technology Applications Centre", COUNTRIES))
    assert chosen(index, "In Vitro Biology, Xenon Pharmaceuticals Inc") == xenon.id
    # what is left of the name is judged on its own: common words said in many countries
    assert chosen(index, "Provincial Key Laboratory of Laser Technology and Applications") is None


def test_a_slash_separates_institutions() -> None:
    nsf = record("National Science Foundation", "US", "Alexandria", type_="other_provider")
    index = build(nsf, *fillers("National Science Foundation of {i}", COUNTRIES))
    text = "Stand Up To Cancer/National Science Foundation/V Foundation Convergence Award"
    assert chosen(index, text) == nsf.id
    # a name that holds a slash of its own is still read whole
    witten = record("Witten/Herdecke University", "DE", "Witten")
    assert chosen(build(witten), "Faculty of Health, Witten/Herdecke University") == witten.id


def test_technical_and_catholic_are_the_same_word_in_other_languages() -> None:
    dresden = record("Technische Universität Dresden", "DE", "Dresden")
    leuven = record("Katholieke Universiteit Leuven", "BE", "Leuven")
    index = build(dresden, leuven)
    assert chosen(index, "Department of Psychology, Technical University Dresden") == dresden.id
    assert chosen(index, "Catholic University Leuven") == leuven.id


def test_a_name_in_other_words_order_inside_a_longer_specific_name_is_weak() -> None:
    reformed = record("Reformed Church University", "ZW", "Masvingo")
    index = build(reformed)
    assert chosen(index, "Károli Gáspár University of the Reformed Church") is None
    assert chosen(index, "Department of Theology, University of the Reformed Church") == (
        reformed.id
    )


def test_a_legal_form_or_the_institutions_own_acronym_beside_its_name_is_no_other_name() -> None:
    canon = record("Canon (Japan)", "JP", "Tokyo", type_="other_provider")
    juiz = with_acronym(record("Federal University of Juiz de Fora", "BR", "Juiz de Fora"), "UFJF")
    index = build(canon, juiz)
    assert chosen(index, "Canon Inc") == canon.id
    assert [
        c.matching_type for c in match_affiliation(index, "Federal University of Juiz de Fora UFJF")
    ] == ["EXACT"]
    # another acronym beside it is another name
    assert (
        match_affiliation(index, "Federal University of Juiz de Fora UFMG")[0].matching_type
        == "PHRASE"
    )


def test_a_lead_in_before_the_affiliation_is_not_part_of_it() -> None:
    gottingen = record("Georg-August-Universität Göttingen", "DE", "Göttingen")
    khalifa = record("Khalifa University of Science and Technology", "AE", "Abu Dhabi")
    index = build(gottingen, khalifa)
    assert chosen(index, "Currently at Georg August Universität") == gottingen.id
    assert chosen(index, "Currently atGeorg August Universität") == gottingen.id
    assert chosen(index, "Present address: Khalifa University of Science and Technology") == (
        khalifa.id
    )
    assert chosen(index, "Georg August Universität") == gottingen.id


def test_a_capitalised_word_glued_to_an_acronym_is_read_apart() -> None:
    uba = record("Universidad de Buenos Aires", "AR", "Buenos Aires")
    louvain = record("UCLouvain", "BE", "Louvain-la-Neuve")
    index = build(uba, louvain)
    assert chosen(index, "CONICETUniversidad de Buenos Aires") == uba.id
    # a glued word the directory knows is left whole
    assert chosen(index, "Institute of Condensed Matter, UCLouvain") == louvain.id


def test_an_acronym_beside_its_city_names_the_holder_in_that_city() -> None:
    miescher = with_acronym(record("Friedrich Miescher Institute", "CH", "Basel"), "FMI")
    meteorology = with_acronym(record("Finnish Meteorological Institute", "FI", "Helsinki"), "FMI")
    index = build(miescher, meteorology)
    assert chosen(index, "FMI Basel") == miescher.id
    assert chosen(index, "Arctic Research, FMI Helsinki") == meteorology.id
    assert chosen(index, "FMI") is None  # held by two
    assert chosen(index, "FMI Paris") is None


def test_what_a_named_institution_is_a_member_of_is_context() -> None:
    charite = record("Charité - Universitätsmedizin Berlin", "DE", "Berlin", type_="other_provider")
    free = record("Freie Universität Berlin", "DE", "Berlin")
    humboldt = record("Humboldt-Universität zu Berlin", "DE", "Berlin")
    bih = record("Berlin Institute of Health", "DE", "Berlin", type_="other_provider")
    lungs = record("German Center for Lung Research", "DE", "Giessen", type_="other_provider")
    index = build(charite, free, humboldt, bih, lungs)
    for text in (
        f"Department of Biochemistry, Charité {DASH} Universitätsmedizin Berlin, corporate "
        "member of Freie Universität Berlin and Humboldt-Universität zu Berlin",
        f"Charité {DASH} Universitätsmedizin Berlin, corporate member of Freie Universität Berlin, "
        "Humboldt-Universität zu Berlin, and Berlin Institute of Health, Department of Neurology",
    ):
        assert chosen(index, text) == charite.id
    # the list ends with its "and": what follows is named again, not as a member
    text = (
        f"Charité {DASH} Universitätsmedizin Berlin, corporate member of Freie Universität "
        "Berlin and Humboldt-Universität zu Berlin, Berlin Institute of Health"
    )
    scores = {c.id: c.score for c in match_affiliation(index, text)}
    assert scores[free.id] < CHOOSE_THRESHOLD and scores[humboldt.id] < CHOOSE_THRESHOLD
    assert scores[bih.id] == scores[charite.id] == 1.0
    # said alone, "member of" introduces the affiliation itself
    assert chosen(index, "Member of the German Center for Lung Research (DZL)") == lungs.id
    # without the list, the university is preferred to the unit, as always
    text = "Department of Biochemistry, Charité - Universitätsmedizin Berlin, Freie Universität"
    assert chosen(index, text) == free.id


def test_namesakes_that_differ_only_in_stop_words_are_ambiguous() -> None:
    british = record("The Open University", "GB", "Milton Keynes")
    portuguese = record("Open University", "PT", "Lisbon")
    index = build(british, portuguese)
    assert chosen(index, "The Open University") is None
    assert chosen(index, "The Open University, Milton Keynes") == british.id


def test_a_name_without_its_city_keeps_its_word_order() -> None:
    washu = record("Washington University in St. Louis", "US", "St. Louis")
    bothell = record("University of Washington Bothell", "US", "Bothell")
    index = build(washu, bothell)
    assert chosen(index, "Department of Biology, Washington University") == washu.id
    assert chosen(index, "University of Washington") == bothell.id
    # an alias reduced to one word by its city is no name
    paris = record("Paris IAS", "FR", "Paris", type_="college")
    assert chosen(build(paris), "Institute for Advanced Simulation (IAS-6)") is None


def test_a_list_of_institutions_is_no_one_affiliation() -> None:
    labs = [
        record(name, "US", city, type_="other_provider")
        for name, city in (
            ("Lawrence Livermore National Laboratory", "Livermore"),
            ("Argonne National Laboratory", "Lemont"),
            ("Brookhaven National Laboratory", "Upton"),
            ("Oak Ridge National Laboratory", "Oak Ridge"),
        )
    ]
    index = build(*labs)
    three = (
        "Argonne National Laboratory; Brookhaven National Laboratory; Oak Ridge National Laboratory"
    )
    assert chosen(index, three) == labs[3].id  # the one named last, as for any few
    assert chosen(index, "Lawrence Livermore National Laboratory; " + three) is None
    # the pick's own units are no other institutions
    tennessee = record("University of Tennessee", "US", "Knoxville")
    space = record(
        "University of Tennessee Space Institute",
        "US",
        parents=(tennessee.id,),
        type_="other_provider",
    )
    index = build(*labs, tennessee, space)
    text = (
        "University of Tennessee Space Institute; University of Tennessee; "
        "Argonne National Laboratory; Brookhaven National Laboratory"
    )
    assert chosen(index, text) == tennessee.id


def test_research_is_the_same_word_in_romance_languages() -> None:
    fermi = record("Centro Ricerche Enrico Fermi", "IT", "Rome", type_="other_provider")
    index = build(fermi)
    assert chosen(index, "Research Center Enrico Fermi") == fermi.id
    assert chosen(index, "Centre de Recherche Enrico Fermi") == fermi.id


def test_a_school_after_and_names_its_university() -> None:
    harvard = record("Harvard University", "US", "Cambridge")
    index = build(harvard)
    text = "Wellman Center for Photomedicine and Harvard Medical School"
    assert chosen(index, text) == harvard.id
    assert chosen(index, "Wellman Center for Photomedicine and Medical School") is None


def test_a_name_without_its_city_needs_words_not_said_everywhere() -> None:
    leibniz = record("Leibniz University Hannover", "DE", "Hannover")
    index = build(leibniz, *fillers("Leibniz Institute for {i}", ["DE"]))
    assert index.term_frequency("leibniz") >= SPECIFIC_DF  # no specific word, yet said once
    assert chosen(index, "Leibniz University") == leibniz.id
    # "State University" is what is left of "Tbilisi State University", and said everywhere
    tbilisi = record("Tbilisi State University", "GE", "Tbilisi")
    index = build(tbilisi, *fillers("{i} State University", COUNTRIES))
    assert index.names_with_key_sans_city("state university")
    assert chosen(index, "State University") is None


def test_a_short_number_is_read_as_part_of_a_name() -> None:
    spelled = record("University Lyon 1", "FR", "Villeurbanne")
    abbreviated = record("Univ. Lyon 1", "FR", "Lyon")
    sorbonne = record("Université Paris 1 Panthéon-Sorbonne", "FR", "Paris")
    chapel_hill = record("University of North Carolina at Chapel Hill", "US", "Chapel Hill")
    index = build(spelled, abbreviated, sorbonne, chapel_hill)
    # the namesake spelled as written wins, its number included
    assert chosen(index, "Department of Chemistry, University Lyon 1") == spelled.id
    assert chosen(index, "Department of Chemistry, Univ. Lyon 1") == abbreviated.id
    assert chosen(index, "HAL - Université Paris 1 Panthéon-Sorbonne") == sorbonne.id
    # a footnote's number is no part of a name, nor a postcode
    text = "Biology Department, University of North Carolina 1 , Chapel Hill, NC 27599, USA"
    assert chosen(index, text) == chapel_hill.id


def test_a_city_named_in_another_spelling_still_tells_namesakes_apart() -> None:
    louis = record("Mercy Hospital", "US", "St. Louis", type_="other_provider")
    springfield = record("Mercy Hospital", "US", "Springfield", type_="other_provider")
    index = build(louis, springfield)
    assert chosen(index, "Mercy Hospital") is None
    assert chosen(index, "Department of Surgery, Mercy Hospital, Saint Louis, MO") == louis.id
    assert chosen(index, "Mercy Hospital, Springfield, MO") == springfield.id


def test_a_city_spelt_a_letter_apart_is_still_the_city() -> None:
    leibniz = record("Leibniz University Hannover", "DE", "Hanover")
    index = build(leibniz, record("Leibniz University of Applied Sciences", "DE", "Hanover"))
    # the name without its city, where the name spells the city otherwise than the record
    assert chosen(index, "Leibniz University") == leibniz.id
    hanover = record("Mercy Hospital", "DE", "Hanover", type_="other_provider")
    bonn = record("Mercy Hospital", "DE", "Bonn", type_="other_provider")
    index = build(hanover, bonn)
    assert chosen(index, "Mercy Hospital, Hannover") == hanover.id
    # short place names must be spelt alike: "Born" is not Bonn
    assert chosen(index, "Mercy Hospital, Born") is None
    assert chosen(index, "Mercy Hospital, Bonn") == bonn.id


def test_the_words_naming_a_parent_and_its_children_name_the_parent() -> None:
    google = record("Google (United States)", "US", "Mountain View", type_="other_provider")
    google = replace(google, id=uuid.UUID(int=2**128 - 1))  # ranked after its children
    children = [
        record(f"Google ({country})", code, type_="other_provider", parents=(google.id,))
        for country, code in [("Australia", "AU"), ("Singapore", "SG")]
    ]
    index = build(google, *children)
    assert chosen(index, "Google") == google.id
    assert chosen(index, "Google, Singapore") == children[1].id
    # namesakes of which none is the others' parent stay ambiguous
    acme = [
        record(f"Acme ({country})", code, type_="other_provider")
        for country, code in [("France", "FR"), ("Spain", "ES")]
    ]
    assert chosen(build(*acme), "Acme") is None
    # nor does a loop of parents in the data keep the matcher climbing
    acme[0] = replace(acme[0], parent_ids=(acme[1].id,))
    acme[1] = replace(acme[1], parent_ids=(acme[0].id,))
    assert chosen(build(*acme), "Acme") in {acme[0].id, acme[1].id}


def test_a_name_without_its_city_is_not_read_in_words_said_everywhere() -> None:
    hsinchu = record("Hsinchu Science Park", "TW", "Hsinchu", type_="other_provider")
    # "park" is a place word (Park Ridge), yet "science park" is said in many countries
    hospitals = [
        record(f"Park Zq{i:02d}x Hospital", "US", "Park Ridge", type_="other_provider")
        for i in range(15)
    ]
    index = build(hsinchu, *hospitals, *fillers("{i} Science Park", COUNTRIES))
    assert index.is_place_word("park")
    assert chosen(index, "Hsinchu Science Park") == hsinchu.id
    assert chosen(index, "Science Park") is None


def test_a_place_name_is_not_read_as_a_typo() -> None:
    galen = record("Galen University", "BZ", "San Ignacio")
    aalen = record("Hochschule Aalen", "DE", "Aalen")
    index = build(galen, aalen)
    assert index.is_place_word("aalen")
    assert chosen(index, "Galen Univeristy") == galen.id
    assert chosen(index, "Aalen University") != galen.id


def test_a_name_without_its_city_is_read_inside_a_longer_name() -> None:
    mainz = record("Johannes Gutenberg University Mainz", "DE", "Mainz")
    centre = record("University Medical Center", "NL", "Utrecht", type_="other_provider")
    index = build(mainz, centre, *fillers("{i} University Medical Center", COUNTRIES))
    text = "University Medical Center of the Johannes Gutenberg University"
    assert chosen(index, text) == mainz.id


def test_a_name_said_of_many_places_is_not_preferred_as_a_university() -> None:
    sysu = record("Sun Yat-sen University", "CN", "Guangzhou")
    # one of the ministries is filed as a college
    ministries = [
        record("Ministry of Education", code, type_="college" if code == "AE" else "other_provider")
        for code in ["AE", "SA", "KR", "TW"]
    ]
    index = build(sysu, *ministries, *fillers("Ministry of {i} and Education", COUNTRIES))
    text = "Zhongshan School of Medicine, Sun Yat-sen University, Ministry of Education"
    assert chosen(index, text) == sysu.id
    # its country named, the college is a university like any other
    assert chosen(index, "Ministry of Education, United Arab Emirates") == ministries[0].id


def test_a_name_is_found_by_its_part_before_a_dash() -> None:
    fli = record("Leibniz Institute on Aging - Fritz Lipmann Institute", "DE", "Jena")
    index = build(fli, record("Leibniz Institute for Photonic Technology", "DE", "Jena"))
    assert index.names_with_key_head("leibniz institute aging") != []
    assert chosen(index, "Leibniz Institute on Aging, Jena") == fli.id
    # a single word before the dash is too little to name it
    charite = record("Charité - Universitätsmedizin Berlin", "DE", "Berlin")
    assert build(charite).names_with_key_head("charite") == []


def test_a_school_named_after_its_universitys_acronym_names_the_university() -> None:
    nyu = with_acronym(record("New York University", "US", "New York"), "NYU")
    abu_dhabi = record("NYU Abu Dhabi", "AE", "Abu Dhabi", parents=(nyu.id,))
    index = build(nyu, abu_dhabi)
    candidates = match_affiliation(index, "Department of Pathology, NYU School of Medicine")
    assert candidates[0].id == nyu.id and candidates[0].chosen
    assert candidates[0].matched_name == "New York University"


def test_a_name_said_of_many_places_leaves_its_words_to_the_fuzzy_rule() -> None:
    sanu = record("Serbian Academy of Sciences and Arts", "RS", "Belgrade", type_="other_provider")
    academy = record("Academy of Sciences", "FR", "Paris", type_="other_provider")
    index = build(sanu, academy, *fillers("{i} Academy of Sciences", COUNTRIES))
    assert chosen(index, "Serbian Academy of Sciences") == sanu.id
