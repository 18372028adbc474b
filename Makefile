# The two commands of the README: `make demo` and `make test`. Everything else is a step they take.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pywb and the wacz validator, for the tests of `tdkt import` and `tdkt export --wacz`: their own
# environment, because pywb pins versions ours cannot share.
PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed

.PHONY: install demo test test-fast lint bench browser ocr clean

install: $(STAMP) $(PYWB_STAMP) ocr

# Re-install only when the pins change; `make install` is idempotent.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(PYWB_STAMP): requirements-pywb.lock
	test -x $(PYWB_VENV)/bin/python || $(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install --quiet --upgrade pip==26.3
	$(PYWB_VENV)/bin/python -m pip install --quiet -r requirements-pywb.lock
	touch $(PYWB_STAMP)

# Debian's chromium for the browser tests; Playwright drives it, it never downloads its own.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null)

# Debian's Tesseract with its Vietnamese model and poppler's pdftoppm read scanned files (archive.extract.ocr);
# Liberation Serif 2 types the scans of other hands (replica/scans.py).
ocr:
	@command -v tesseract >/dev/null && test -f /usr/share/tesseract-ocr/5/tessdata/vie.traineddata \
		&& command -v pdftoppm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq tesseract-ocr tesseract-ocr-vie poppler-utils >/dev/null)
	@test -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf || (apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-liberation2 >/dev/null)

demo: install browser
	$(BIN)/tdkt demo

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not e2e and not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# wget is one of the crawlers the benchmark compares ours with; Debian images usually ship it.
bench: install
	@command -v wget >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wget >/dev/null)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(PYWB_VENV) data/demo .pytest_cache
