# Quickstart: `make run` (set up, index corpus/, serve on :5000), `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INDEX := indexes/corpus
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run install index serve test test-quick browser eval bench bench-semantic stress clean sphinxsearch cluster cluster-stop bench-cluster

run: index serve

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

index: install
	$(BIN)/mlsearch index corpus --index $(INDEX)

serve: install
	$(BIN)/mlsearch serve --index $(INDEX) --host $(HOST) --port $(PORT)

# The browser tests drive Debian's chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing chromium (Debian) for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser sphinxsearch
	$(BIN)/python -m pytest -q

# The modules' own tests, without the end-to-end ones (processes, servers,
# the browser, the kit): seconds, not minutes.
test-quick: install
	$(BIN)/python -m pytest -q -m "not slow"

eval: install
	$(BIN)/python tools/evaluate_kit.py

# Speed and memory next to stock whoosh and FTS5 (benchmarks/bench.py); the
# HTTP load needs Debian's wrk. --reuse keeps the 10x corpus's index.
bench: install
	@command -v wrk >/dev/null || { \
	  echo "installing wrk (Debian) for the HTTP load"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m benchmarks.bench --reuse

# The semantic channel's costs (benchmarks/semantic.py): the vector phase on a
# slice of news-mix, then query cost on news-mix and the 10x corpus with
# borrowed vectors (make bench's indexes, built when missing).
bench-semantic: install
	$(BIN)/python -m benchmarks.semantic
	$(BIN)/python -m benchmarks.semantic --scale news-mix 10x

# Long reliability runs (benchmarks/stress_*.py), figures in
# benchmarks/results/stress.md; each runs even when one before it failed.
stress: install
	@command -v wrk >/dev/null || { \
	  echo "installing wrk (Debian) for the load run"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m benchmarks.stress_fuzz; fuzz=$$?; \
	$(BIN)/python -m benchmarks.stress_load; load=$$?; \
	$(BIN)/python -m benchmarks.stress_crash; crash=$$?; \
	$(BIN)/python -m benchmarks.stress_hostile; hostile=$$?; \
	test $$fuzz$$load$$crash$$hostile = 0000

# The cluster backend (search/cluster.py) is developed and tested against
# Debian's sphinxsearch (Sphinx 2.2, Manticore's ancestor); install it when
# it is missing.
sphinxsearch:
	@command -v searchd >/dev/null || { \
	  echo "installing sphinxsearch (Debian) for the cluster backend"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sphinxsearch >/dev/null; }

# A three-node cluster on loopback (two shards, one distributed head) under
# .cache/cluster; the last line printed is the --backend URL.
cluster: install sphinxsearch
	$(BIN)/python -m search.index.sphinxql.local start --dir .cache/cluster --shards 2

cluster-stop: install
	$(BIN)/python -m search.index.sphinxql.local stop --dir .cache/cluster

# Kit quality, indexing throughput and p95 on the cluster beside whoosh.
bench-cluster: install sphinxsearch
	$(BIN)/python -m benchmarks.cluster

clean:
	rm -rf $(VENV) .cache $(INDEX) *.egg-info
