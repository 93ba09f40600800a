"""One realistic sample item of every type, built directly from the model (no parser needed).

The texts follow the module's sources (A = ICE SAFE workshop release, C = NIJC critique, D = Interpol Mexico award
release). Every key, feedback, explanation, anchor and teaching note is a distinct sentence, so tests can prove the
assessment edition leaks none of them.
"""

from __future__ import annotations

from fractions import Fraction

from sourcework.core.model import Column, Criterion, GridRow, Item, ItemSet, Level, Option, Part, Span

CHOICE = Item(
    id="sample.genre",
    type="choice",
    skill="sourcing",
    sources=("A",),
    title="Who is speaking?",
    stem="Source A describes the first SAFE workshop in San Salvador. What kind of document is it?",
    options=(
        Option("press", "A press release by the agency that runs the program",
               "Yes: ICE ERO published it about its own program, so it shows how the agency wants SAFE seen."),
        Option("news", "An independent news report",
               "No reporter or outside outlet is named; the byline and dateline belong to ICE itself."),
        Option("blog", "An advocacy group's blog post",
               "Advocacy posts argue for a change in policy; this text praises a program its author runs."),
    ),
    key="press",
    explanation="Sourcing starts with the author: an agency writing about its own work has a stake in the framing.",
    teaching_note="Students often call any .gov page neutral; ask who benefits from the release being read.",
)

SELECT = Item(
    id="sample.nijc-claims",
    type="select",
    skill="close-reading",
    sources=("C",),
    points=Fraction(2),
    stem="Which of these statements does Source C (the NIJC post) make? Select all that apply.",
    options=(
        Option("errors", "Gang-centered information sharing programs are plagued by errors",
               "Source C says these programs are plagued by errors that lead to wrongful detention."),
        Option("pilot", "ERO created the SAFE pilot program in 2012",
               "Source C dates the SAFE pilot to 2012, in concert with Salvadoran law enforcement."),
        Option("award", "Interpol Mexico received an ERO partnership award",
               "The award appears only in Source D; NIJC does not mention it."),
        Option("ended", "The biometric data sharing agreements have certainly ended",
               "Source C says the opposite: there is no indication that those agreements have ended."),
    ),
    key=("errors", "pilot"),
    explanation="Read for what the text asserts, not for what you expect an advocacy group to say.",
)

GRID = Item(
    id="sample.who-says",
    type="grid",
    skill="corroboration",
    sources=("A", "C", "D"),
    mode="attribution",
    stem="For each claim, choose every source that makes it.",
    columns=(Column("A", "Source A (ICE, 2020)"), Column("C", "Source C (NIJC)"), Column("D", "Source D (ICE, 2022)")),
    rows=(
        GridRow("pilot", "SAFE began as a pilot program in 2012.", ("A", "C"),
                "Both the ICE release and the NIJC post give 2012 as the pilot's start: corroboration."),
        GridRow("mexico", "Interpol Mexico has collaborated with SAFE since August 2018.", ("D",),
                "Only the award release dates Interpol Mexico's collaboration."),
        GridRow("errors", "Programs sharing gang data with foreign police are plagued by errors.", ("C",),
                "This is NIJC's critique; neither ICE release concedes errors."),
    ),
    explanation="Attribution before evaluation: know who says what before weighing it.",
)

MARK = Item(
    id="sample.framing",
    type="mark",
    skill="close-reading",
    sources=("A",),
    stem="Read Marlen Pineiro's statement in Source A.",
    source="A",
    paragraph=3,
    job="framing the people SAFE targets as wanted criminals",
    passage=(
        "SAFE is intended to keep the streets of the U.S. and El Salvador safe by identifying fugitives who are "
        "evading us and bringing them back to face justice through cooperation of governments – particularly "
        "criminals who have outstanding warrants."
    ),
    spans=(
        Span("fugitives", "fugitives who are evading us",
             "Calling people fugitives presumes they are fleeing justice."),
        Span("justice", "bringing them back to face justice", "Return is framed as justice, not as deportation."),
        Span("cooperation", "cooperation of governments", "This names the partners; it does not describe the people."),
        Span("criminals", "criminals who have outstanding warrants",
             "A warrant is an accusation, yet the phrase calls the people criminals."),
    ),
    key=("fugitives", "justice", "criminals"),
    explanation="Framing words choose how a reader sees a group before any evidence is given.",
)

NUMERIC = Item(
    id="sample.rate",
    type="numeric",
    skill="numeracy",
    sources=("D",),
    stem="Source D says Interpol Mexico vetted 23,100 cases and helped with 474 arrests. "
         "474 of 23,100 vetted cases: what percent is that? Round to two decimals.",
    answer=Fraction("2.05"),
    tolerance_abs=Fraction("0.01"),
    unit="percent",
    outcome_feedback={
        "correct": "Right: 474 divided by 23,100 is about 0.0205, so roughly one vetted case in fifty led to arrest.",
        "incorrect": "Divide the arrests by the vetted cases, then multiply by 100 to turn the share into a percent.",
    },
    explanation="A large count (23,100) can hide a small rate; computing the rate puts the claim in proportion.",
)

ORDER = Item(
    id="sample.timeline",
    type="order",
    skill="contextualization",
    sources=("A", "D"),
    stem="Put these events about SAFE in the order they happened.",
    events=(
        Option("workshop", "ICE ERO holds the first SAFE workshop in San Salvador"),
        Option("pilot", "ERO creates the SAFE pilot program with Salvadoran authorities"),
        Option("award", "ERO gives Interpol Mexico's director general a partnership award"),
        Option("interpol", "Interpol Mexico begins collaborating with SAFE"),
    ),
    key=("pilot", "interpol", "workshop", "award"),
    outcome_feedback={
        "correct": "Exactly: 2012 pilot, August 2018 Interpol Mexico, December 2019 workshop, September 2022 award.",
        "partial": "Some pairs are in order; check the dates given in Sources A and D for the rest.",
        "incorrect": "Start from the 2012 pilot in Source A and place each later date after it.",
    },
)

TWO_PART = Item(
    id="sample.claim-evidence",
    type="two-part",
    skill="corroboration",
    sources=("D",),
    points=Fraction(2),
    stem="Answer Part A, then choose the evidence for your answer in Part B.",
    part_a=Part(
        stem="What does Source D show about the 474 arrests?",
        options=(
            Option("small", "They came from a small share of the cases vetted",
                   "Yes: 474 arrests against more than 23,100 vetted cases is a small share."),
            Option("all", "Every vetted case led to an arrest",
                   "The release gives two different numbers, so most vetted cases did not lead to arrest."),
        ),
        key="small",
    ),
    part_b=Part(
        stem="Which words from Source D support your answer to Part A?",
        options=(
            Option("vetted", "“vetted more than 23,100 ERO-detained cases for arrest warrants”",
                   "This gives the denominator the 474 arrests must be compared with."),
            Option("honor", "“it is my honor to present this award”",
                   "This is ceremonial praise; it contains no number to compare."),
        ),
        key="vetted",
    ),
    explanation="A claim is only as strong as the evidence picked for it; Part B checks the reasoning behind Part A.",
)

RESPONSE = Item(
    id="sample.compare",
    type="response",
    skill="synthesis",
    sources=("A", "C"),
    points=Fraction(4),
    stem="In four to six sentences, compare how Source A and Source C describe the people SAFE targets. "
         "Quote at least one phrase from each source.",
    rubric=(
        Criterion("claim", "Comparison claim", (
            Level(2, "Proficient", "States a clear difference in framing between A and C.",
                  "ICE frames targets as fugitives facing justice, while NIJC frames them as asylum seekers "
                  "wrongly labelled by unreliable data."),
            Level(1, "Emergent", "Notes a difference but does not say what it is.",
                  "The two sources see the people differently."),
            Level(0, "Basic", "No comparison.", "SAFE is a program in El Salvador."),
        )),
        Criterion("evidence", "Quoted evidence", (
            Level(2, "Proficient", "Quotes and explains a phrase from each source.",
                  "A says 'fugitives who are evading us'; C says 'asylum seekers fleeing violence'."),
            Level(1, "Emergent", "Quotes only one source.", "A calls them 'criminals who have outstanding warrants'."),
            Level(0, "Basic", "No quotation.", "They disagree about the people."),
        )),
    ),
    explanation="Strong answers name the framing in each source and tie it to quoted words.",
    teaching_note="Allow 15 minutes; model one quotation with the class first.",
)

ALL_ITEMS: tuple[Item, ...] = (CHOICE, SELECT, GRID, MARK, NUMERIC, ORDER, TWO_PART, RESPONSE)
BY_TYPE: dict[str, Item] = {item.type: item for item in ALL_ITEMS}
SAMPLE_SET = ItemSet(id="sample", title="Sample set: reading SAFE", chapter="book/sample", items=ALL_ITEMS)
