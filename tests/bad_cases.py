"""Bad lesson files and the exact diagnostic each must produce (file:line:col: severity: message).

Each case: (file name, file content, expected line of output). Content is text (UTF-8) or bytes.
"""

MC = """title: Stalin
worksheet:
  items:
    - type: multiple_choice
      prompt: Which post did Stalin hold from 1922?
{extra}"""

BOMB = "title: x\n" + "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))

CASES = [
    ("empty.yaml", "", "1:1: error: file is empty"),
    ("comments-only.yaml", "# a lesson about Stalin\n\n# to be written\n", "1:1: error: file is empty"),
    ("top-list.yaml", "- title: Stalin\n- title: Trotsky\n",
     "1:1: error: the top level of a lesson must be a mapping of keys, but this file holds a list"),
    ("top-text.yaml", "Stalin and the kulaks\n",
     '1:1: error: the top level of a lesson must be a mapping of keys, but this file holds "Stalin and the kulaks"'),
    ("bad-utf8.yaml", b"title: Caf\xe9 society\n",
     "1:11: error: invalid UTF-8 at byte offset 10 (byte 0xe9)"),
    ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "3:1: error: this is a binary file, not YAML text (NUL byte at byte offset 8)"),
    ("tabs.yaml", "title: Stalin\nreading:\n\ttext: The kulaks resisted.\n",
     "3:1: error: a tab is used for indentation; YAML only allows spaces"),
    ("alias-bomb.yaml", BOMB,
     "7:1: error: f: aliases expand this beyond 100,000 values; lessonpack refuses documents that grow this "
     "large"),
    ("too-big.yaml", "title: Big\nteacher_notes: |\n" + ("  " + "x" * 98 + "\n") * 10_500,
     "1:1: error: file is 1,060,528 bytes; the limit for a lesson file is 1,000,000 bytes"),
    ("unclosed-quote.yaml", 'title: "Stalin\nsubtitle: Rise and rule\n',
     "3:1: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 1)"),
    ("bad-indent.yaml", "title: Stalin\nreading:\n  title: The rise\n text: Lenin died.\n",
     "4:2: error: YAML syntax error: expected <block end>, but found '<block mapping start>' "
     "(while parsing a block mapping at line 1)"),
    ("unquoted-blank.yaml", MC.format(extra="") + "    - type: fill_in_blank\n"
     "      text: [[Stalin]] became general secretary.\n",
     "7:24: error: YAML syntax error: expected <block end>, but found '<scalar>' "
     "(while parsing a block mapping at line 6)"),
    ("colon-in-text.yaml", "title: Stalin\nsubtitle: Rise: and rule\n",
     "2:15: error: YAML syntax error: mapping values are not allowed here"),
    ("missing-title.yaml", "subtitle: Rise and rule\n", '1:1: error: top level: missing required field "title"'),
    ("unknown-key.yaml", "title: Stalin\nsubtitel: Rise and rule\n",
     '2:1: error: subtitel: unknown key "subtitel"; did you mean "subtitle"?'),
    ("duplicate-key.yaml", "title: Stalin\ngrade: 9–10\ntitle: Trotsky\n",
     '3:1: error: title: duplicate key "title" (first at line 1); YAML would silently keep only the last one'),
    ("objectives-text.yaml", "title: Stalin\nobjectives: Explain Stalin's rise\n",
     '2:13: error: objectives: expected a list, got "Explain Stalin\'s rise"'),
    ("reading-text.yaml", "title: Stalin\nreading: Lenin died in 1924.\n",
     '2:10: error: reading: expected a mapping (key: value lines), got "Lenin died in 1924."'),
    ("reading-no-text.yaml", "title: Stalin\nreading:\n  title: The rise\n",
     '3:3: error: reading: missing required field "text"'),
    ("mc-answer.yaml", MC.format(extra="      choices: [General secretary, War commissar]\n      answer: Trotsky\n"),
     '7:15: error: worksheet.items[0].answer: "Trotsky" is not one of the choices (General secretary, War '
     'commissar)'),
    ("mc-answer-no.yaml", MC.format(extra="      choices: [\"yes\", \"no\"]\n      answer: no\n"),
     "7:15: error: worksheet.items[0].answer: expected text, but YAML read this unquoted word as false"),
    ("mc-one-choice.yaml", MC.format(extra="      choices: [General secretary]\n      answer: General secretary\n"),
     "6:16: error: worksheet.items[0].choices: needs at least 2 entries, has 1"),
    ("mc-nine-choices.yaml", MC.format(extra="      choices: [a, b, c, d, e, f, g, h, i]\n      answer: a\n"),
     "6:16: error: worksheet.items[0].choices: allows at most 8 entries, has 9"),
    ("mc-no-answer.yaml", MC.format(extra="      choices: [General secretary, War commissar]\n"),
     '4:7: error: worksheet.items[0]: missing required field "answer"'),
    ("mc-repeated-choice.yaml", MC.format(extra="      choices: [Lenin, Stalin, lenin]\n      answer: Stalin\n"),
     '6:32: error: worksheet.items[0].choices[2]: choice "lenin" repeats worksheet.items[0].choices[0]'),
    ("points-negative.yaml", MC.format(extra="      choices: [a, b]\n      answer: a\n      points: -2\n"),
     "8:15: error: worksheet.items[0].points: must be at least 0, got -2"),
    ("points-word.yaml", MC.format(extra="      choices: [a, b]\n      answer: a\n      points: two\n"),
     '8:15: error: worksheet.items[0].points: expected a number of points, such as 2 or 0.5, got "two"'),
    ("tf-maybe.yaml", "title: x\nworksheet:\n  items:\n    - type: true_false\n      prompt: Lenin chose Stalin.\n"
     "      answer: maybe\n", '6:15: error: worksheet.items[0].answer: expected true or false, got "maybe"'),
    ("unknown-type.yaml", "title: x\nworksheet:\n  items:\n    - type: multiple-choice\n      prompt: Who?\n",
     '4:13: error: worksheet.items[0].type: unknown item type "multiple-choice"; did you mean "multiple_choice"?'),
    ("no-type.yaml", "title: x\nworksheet:\n  items:\n    - prompt: Who?\n      answer: true\n",
     '4:7: error: worksheet.items[0]: item has no "type"'),
    ("fill-no-blank.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: Stalin became general secretary.\n",
     "5:13: error: worksheet.items[0].text: no blank found in the text"),
    ("fill-unclosed.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: \"[[Stalin]] became [[general secretary.\"\n",
     '5:13: error: worksheet.items[0].text: a blank is not closed: every "[[" needs a matching "]]"'),
    ("fill-empty-blank.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: \"Stalin became [[ ]].\"\n",
     "5:13: error: worksheet.items[0].text: blank 1 is empty (write its answer between [[ and ]])"),
    ("matching-few-terms.yaml", "title: x\nkey_terms:\n  - {term: kulaks, definition: better-off peasants}\n"
     "worksheet:\n  items:\n    - type: matching\n      from_key_terms: true\n",
     "7:23: error: worksheet.items[0].from_key_terms: from_key_terms needs at least 2 key terms; this lesson has 1"),
    ("matching-nothing.yaml", "title: x\nworksheet:\n  items:\n    - type: matching\n      prompt: Match them.\n",
     "4:7: error: worksheet.items[0]: a matching item needs pairs: [{left: ..., right: ...}] or "
     "from_key_terms: true"),
    ("ordering-one.yaml", "title: x\nworksheet:\n  items:\n    - type: ordering\n      events: [Lenin dies]\n",
     "5:15: error: worksheet.items[0].events: needs at least 2 entries, has 1"),
    ("essay-lines.yaml", "title: x\nworksheet:\n  items:\n    - type: essay\n      prompt: Discuss.\n"
     "      lines: 0\n", "6:14: error: worksheet.items[0].lines: must be at least 1, got 0"),
    ("term-twice.yaml", "title: x\nkey_terms:\n  - {term: Kulaks, definition: better-off peasants}\n"
     "  - {term: kulaks, definition: rich farmers}\n",
     '4:12: error: key_terms[1].term: "kulaks" repeats key_terms[0].term (terms must be unique, ignoring case)'),
    ("prompt-note.yaml", "title: x\nprompts:\n  - text: Why did Stalin win?\n    note: Luck and skill.\n",
     '4:5: error: prompts[0].note: unknown key "note"; did you mean "notes"?'),
    ("language.yaml", "title: x\nlanguage: English\n",
     '2:11: error: language: "English" is not a language tag; use a BCP 47 tag such as en, es, fr or en-GB'),
    ("empty-title.yaml", "title:\nsubtitle: x\n", "1:7: error: title: is empty"),
    ("Bad Name.yaml", "title: x\n",
     '1:1: error: "Bad Name.yaml" is not a valid lesson file name; the name becomes the lesson id'),
    ("fill-unclosed-inner.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: \"Stalin became [[general secretary in 1922 and defeated [[Trotsky]].\"\n",
     '5:13: error: worksheet.items[0].text: a blank is not closed: every "[[" needs a matching "]]"'),
    ("fill-stray-close.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: \"[[Stalin]] became general secretary]].\"\n",
     '5:13: error: worksheet.items[0].text: a "]]" has no matching "[[" before it'),
    ("fill-empty-alternative.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: \"Stalin launched the [[Five-Year Plan|]].\"\n",
     '5:13: error: worksheet.items[0].text: blank 1 has an empty alternative; separate answers with "|", '
     "e.g. [[Five-Year Plan|five year plan]]"),
    ("matching-too-many-terms.yaml", "title: x\nkey_terms:\n" + "".join(
        f"  - {{term: term{i}, definition: meaning {i}}}\n" for i in range(30))
     + "worksheet:\n  items:\n    - type: matching\n      from_key_terms: true\n",
     "36:23: error: worksheet.items[0].from_key_terms: the lesson has 30 key terms; a matching item takes at most 26"),
    ("utf16.yaml", "title: Stalin\n".encode("utf-16"),
     "1:1: error: this file is saved as UTF-16; lessonpack reads UTF-8"),
    ("editions-empty.yaml", "title: x\nobjectives: []\nworksheet:\n  items:\n    - type: ordering\n"
     "      events: []\n", "6:15: error: worksheet.items[0].events: needs at least 2 entries, has 0"),
    ("fill-triple-bracket.yaml", "title: x\nworksheet:\n  items:\n    - type: fill_in_blank\n"
     "      text: \"[[[Stalin]]] became general secretary.\"\n",
     "5:13: error: worksheet.items[0].text: a blank's answer contains a square bracket; write each blank as "
     "[[answer]]"),
    ("control-char.yaml", "title: Stalin\nsubtitle: The \x0c rise\n",
     "2:15: error: the control character U+000C is not allowed in a lesson file"),
]

# -- sources and pictures ---------------------------------------------------------------------------

SOURCES = """title: Stalin
reading:
  text: Lenin warned the party about Stalin.
sources:
{sources}
worksheet:
  items:
{items}"""
TEXT_SOURCE = "  - {title: Lenin's warning, text: Stalin is too rude., citation: \"V. I. Lenin, 1922.\"}"
USES_A = "    - {type: true_false, source: A, prompt: Lenin trusted Stalin., answer: false}\n"

CASES += [
    ("source-two-bodies.yaml", SOURCES.format(
        sources="  - title: Both\n    text: Words.\n    table: {header: [Year], rows: [[\"1928\"]]}\n"
                "    citation: Somewhere.", items=USES_A),
     "5:5: error: sources[0]: a source has exactly one of text:, image:, table: or parallel:, not text and table"),
    ("source-no-body.yaml", SOURCES.format(sources="  - title: Nothing\n    citation: Somewhere.", items=USES_A),
     "5:5: error: sources[0]: a source needs its words (text:), a picture (image:), a table (table:) or two texts "
     "side by side (parallel:)"),
    ("source-image-no-alt.yaml", SOURCES.format(
        sources="  - title: A chart\n    image: images/chart.svg\n    citation: Drawn for the test.", items=USES_A),
     "6:12: error: sources[0]: an image needs alt: text, saying what it shows for readers who cannot see it"),
    ("source-no-citation.yaml", SOURCES.format(sources="  - title: Lenin's warning\n    text: Stalin is too rude.",
                                               items=USES_A),
     '5:5: error: sources[0]: missing required field "citation"'),
    ("source-unknown.yaml", SOURCES.format(sources=TEXT_SOURCE, items=USES_A + (
        '    - {type: short_answer, source: C, prompt: "What does Source C show?"}\n')),
     "9:36: error: worksheet.items[1].source: there is no Source C (sources: A)"),
    ("source-bad-id.yaml", SOURCES.format(sources=TEXT_SOURCE, items=(
        "    - {type: true_false, source: first, prompt: Lenin trusted Stalin., answer: false}\n")),
     '8:34: error: worksheet.items[0].source: "first" is not a source id; use a capital letter, such as A or B (or a '
     "short code such as B2)"),
    ("source-duplicate-id.yaml", SOURCES.format(
        sources=TEXT_SOURCE + "\n  - {id: A, title: Again, text: More words., citation: Elsewhere.}", items=USES_A),
     "6:5: error: sources[1]: Source A is already sources[0]"),
    ("source-ragged-table.yaml", SOURCES.format(
        sources="  - title: Output\n    table:\n      header: [Year, Coal]\n      rows:\n        - [\"1928\", \"35.4\"]\n"
                "        - [\"1932\"]\n    citation: Official figures.", items=USES_A),
     "10:11: error: sources[0].table.rows[1]: has 1 cell but the header has 2"),
    ("analysis-no-source.yaml", SOURCES.format(sources=TEXT_SOURCE, items=USES_A + (
        "    - {type: source_analysis, parts: [origin]}\n")),
     '9:7: error: worksheet.items[1]: missing required field "source"'),
    ("analysis-bad-part.yaml", SOURCES.format(sources=TEXT_SOURCE, items=(
        "    - {type: source_analysis, source: A, parts: [origin, reliability]}\n")),
     "8:58: error: worksheet.items[0].parts[1]: \"reliability\" is a part of your own, so lessonpack has no "
     "question for it: add prompt: with the question (its name prints as its label unless you give label:); "
     "lessonpack words these for you: origin, purpose, content, value, limitation"),
    ("analysis-fill-lines.yaml", SOURCES.format(sources=TEXT_SOURCE, items=(
        "    - {type: source_analysis, source: A, parts: [{part: value, lines: fill}]}\n")),
     '8:71: error: worksheet.items[0].parts[0].lines: "fill" is for a whole question; give a part a number of '
     "lines, such as 3"),
    ("reading-picture-no-alt.yaml", "title: Stalin\nreading:\n  text: |\n    Lenin warned the party.\n\n"
                                    "    ![](images/map.png)\n",
     '6:9: error: reading.text: the picture "images/map.png" has no alt text'),
    ("reading-picture-in-a-list.yaml", "title: Stalin\nreading:\n  text: |\n    Lenin warned the party.\n\n"
                                       "    - ![A map](images/map.png)\n",
     '6:16: error: reading.text: the picture "images/map.png" is inside a list, quote or heading, where it cannot '
     "be shown"),
    ("picture-in-a-question.yaml", "title: Stalin\nworksheet:\n  items:\n    - {type: short_answer, prompt: "
                                   "\"What does ![a map](images/map.png) show?\"}\n",
     '4:56: error: worksheet.items[0].prompt: the picture "images/map.png" cannot be shown here'),
]
