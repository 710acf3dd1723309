# lessonpack — two commands on a fresh clone: `make demo` and `make test`.
# Each bootstraps .venv from pyproject.toml when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-heavy bench clean system wheel install

demo: system $(STAMP)
	@echo "make demo: checking, then building the sample unit in lessons/ into dist/…"
	$(BIN)/lessonpack check --strict .
	$(BIN)/lessonpack build .
	@echo "make demo: open dist/ — the whole unit as interwar-years-student.pdf and -teacher.pdf, and each lesson as PDF and DOCX in its own folder."

# One worker per core, each taking whole test files (a file's shared builds are made once). The heavy tests —
# limits and deadlines, sweeps over the corpus, LibreOffice and Chromium — are left to `make test-heavy`,
# which CI runs as well (.ci/run).
HEAVY := slow or libreoffice or browser

test: system $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not ($(HEAVY))" $(PYTEST_ARGS)

test-heavy: system $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "$(HEAVY)" $(PYTEST_ARGS)

# Speed against pandoc and the WeasyPrint floor at 1, 20 and 100 lessons, medians of 5 runs (the full run
# takes about an hour on two cores; BENCH_ARGS='--sizes 1,20' for a shorter one); the report goes into
# benchmarks/RESULTS.md.
bench: system $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# One sentence per missing prerequisite, instead of a compiler or linker error later.
system:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lessonpack needs Python 3.11 or newer, but $(PYTHON) is Python " + sys.version.split()[0] + ".")'
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("pango-1.0") and ctypes.util.find_library("pangoft2-1.0") else "Pango is missing: install it (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; Fedora: sudo dnf install pango; macOS: brew install pango), then run make again.")'
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("cairo") else "cairo is missing (it draws SVG pictures for Word documents): install it (Debian/Ubuntu: sudo apt-get install libcairo2; Fedora: sudo dnf install cairo; macOS: brew install cairo), then run make again.")'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install the venv module (Debian/Ubuntu: sudo apt-get install python3-venv)."; exit 1; }
	@echo "make: installing lessonpack and its libraries into $(VENV) (a minute or two the first time)…"
	$(BIN)/python -m pip install --progress-bar on --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# A wheel of lessonpack in wheelhouse/ (its code, templates, styles, label catalogues, guides, schemas and
# licence; the fonts come with its dependencies), to install on machines that have no clone.
wheel: system $(STAMP)
	@echo "make wheel: building the wheel into wheelhouse/…"
	$(BIN)/python -m pip wheel --no-deps --disable-pip-version-check -q -w wheelhouse .
	@ls wheelhouse/lessonpack-*.whl

# lessonpack on your PATH, outside .venv, in an environment of its own made by pipx (`pipx ensurepath` once puts
# pipx's folder on PATH).
install: system
	@command -v pipx >/dev/null 2>&1 || { echo "make install needs pipx: install it (Debian/Ubuntu: sudo apt-get install pipx; elsewhere: python3 -m pip install --user pipx), run pipx ensurepath, then make install again. Or use .venv/bin/lessonpack after make demo."; exit 1; }
	pipx install --force .
	@echo "make install: done; lessonpack --version should answer (in a new terminal if pipx ensurepath just ran)"

clean:
	rm -rf dist wheelhouse .pytest_cache
