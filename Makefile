# Reverie: `make run` plays the box, `make test` checks it. Both do all set-up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
CORE := firmware/reverie/core
AUDIO := firmware/reverie/hal/audio
CORE_SRC := $(wildcard $(CORE)/*.pyx $(CORE)/*.pxd $(CORE)/*.pxi $(CORE)/*.h $(CORE)/units/*.pxd $(CORE)/units/*.h \
            $(AUDIO)/*.pyx $(AUDIO)/*.h) setup.py
TOOLS_BIN := tools/bin

.PHONY: run test bench setup deps build clean help install uninstall
.DEFAULT_GOAL := help

help:
	@echo "make run    set up, then start the box (simulator on a laptop)"
	@echo "make test   set up, then run the whole test suite"
	@echo "make bench  set up, then print the engine benchmarks"
	@echo "sudo make install [BOX=minimal|FILE]  on a Raspberry Pi: Reverie as a service (docs/service.md)"
	@echo "sudo make uninstall [PURGE=1]         take it away again (PURGE=1: its settings and data too)"

setup: build

run: build
	$(VENV)/bin/reverie run

test: build
	$(PY) -m pytest -q

bench: build
	$(VENV)/bin/reverie bench

# Debian packages, listed once in debian-packages.txt. Checked on every run (a few ms) and
# installed only when missing, as root or through sudo (tools/install-debs).
deps:
	@tools/install-debs debian-packages.txt

# $(PIP) is a variable so that the set-up test can put a stand-in there.
PIP = $(PY) -m pip
$(STAMPS)/venv: | deps
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip "setuptools>=77" wheel "Cython>=3.0" "numpy>=1.26"
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/install: pyproject.toml $(STAMPS)/venv
	$(PIP) install -q --no-build-isolation -e '.[test,pi]'
	@touch $@

# Rebuilt whenever a .pyx/.pxd/.pxi/.h of the core or a C tool changes.
build: $(STAMPS)/build $(STAMPS)/unit-template $(TOOLS_BIN)/ref_voice $(TOOLS_BIN)/ref_synth $(TOOLS_BIN)/jack_ref_client $(TOOLS_BIN)/jack_midi_clock.so
$(STAMPS)/build: $(CORE_SRC) $(STAMPS)/install
	$(PY) setup.py -q build_ext --inplace -j 2
	@touch $@

# The unit template (docs/instrument-api.md): a unit built outside the core against its
# unit_abi.h, in place, so that `make test` runs its tests too.
UNIT_TEMPLATE := examples/unit-template
$(STAMPS)/unit-template: $(UNIT_TEMPLATE)/reverie_ring/_ring.pyx $(UNIT_TEMPLATE)/setup.py \
                         $(CORE)/unit_abi.h $(CORE)/unit_abi.pxd $(STAMPS)/build
	cd $(UNIT_TEMPLATE) && ../../$(PY) setup.py -q build_ext --inplace
	@touch $@

$(TOOLS_BIN)/ref_voice: tools/ref_voice.c
	@mkdir -p $(TOOLS_BIN)
	cc -O3 -ffp-contract=off -o $@ $< -lm

$(TOOLS_BIN)/ref_synth: tools/ref_synth.c firmware/reverie/core/units/tables.h
	@mkdir -p $(TOOLS_BIN)
	cc -O3 -ffp-contract=off -o $@ $< -lm

$(TOOLS_BIN)/jack_ref_client: tools/jack_ref_client.c | deps
	@mkdir -p $(TOOLS_BIN)
	cc -O2 -o $@ $< -ljack -lpthread -lm

$(TOOLS_BIN)/jack_midi_clock.so: tools/jack_midi_clock.c | deps
	@mkdir -p $(TOOLS_BIN)
	cc -O2 -shared -fPIC -o $@ $< -ljack

# On a Raspberry Pi, as root: the packages, the user, /opt/reverie, /etc/reverie/config.toml,
# /var/lib/reverie, the boot configuration for the box and the enabled unit (tools/pi-setup,
# docs/service.md). Both run again safely; the second run changes nothing. DESTDIR puts every
# file under another folder (the tests' machine).
install:
	@tools/pi-setup install $(if $(BOX),--box '$(BOX)') $(if $(DESTDIR),--root '$(DESTDIR)')

uninstall:
	@tools/pi-setup uninstall $(if $(filter 1 yes true,$(PURGE)),--purge) $(if $(DESTDIR),--root '$(DESTDIR)')

clean:
	rm -rf $(STAMPS) build $(TOOLS_BIN) $(CORE)/*.c $(CORE)/*.so $(AUDIO)/*.c $(AUDIO)/*.so \
	       $(UNIT_TEMPLATE)/reverie_ring/*.c $(UNIT_TEMPLATE)/reverie_ring/*.so $(UNIT_TEMPLATE)/build
