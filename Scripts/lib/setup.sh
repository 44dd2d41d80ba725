# Shared set-up for Scripts/tally and Scripts/test: make sure the system
# packages Tally builds against are present. Sourced, not run.

tally_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Runs a command with its output kept aside: nothing shows when it succeeds;
# when it fails, all it printed goes to standard error, and its status is
# returned. The caller has already said, in one line, what it installs.
tally_quietly() {
    local log status=0
    log="$(mktemp)"
    "$@" >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        echo "tally: failed (exit $status): $*" >&2
        cat "$log" >&2
    fi
    rm -f "$log"
    return "$status"
}

tally_apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "tally: please install: $*" >&2
        return 1
    fi
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "tally: installing $* with apt-get" >&2
    tally_quietly $sudo apt-get update -qq || true
    tally_quietly $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

tally_ensure_system_libraries() {
    if ! command -v pkg-config >/dev/null 2>&1; then
        tally_apt_install pkg-config
    fi
    if ! pkg-config --exists libedit; then
        tally_apt_install libedit-dev
    fi
    if ! pkg-config --exists zlib; then
        tally_apt_install zlib1g-dev
    fi
}

# Neovim (Debian's package), whose built-in LSP client the editor test drives
# against `tally lsp`.
tally_ensure_neovim() {
    if ! command -v nvim >/dev/null 2>&1; then
        tally_apt_install neovim
    fi
}

# Chromium (Debian's package), which the browser test loads HTML reports in.
tally_ensure_chromium() {
    if ! command -v chromium >/dev/null 2>&1; then
        tally_apt_install chromium
    fi
}

# The pinned price sources, in a venv of their own (.build/oracles): genai-prices
# 0.2.3 and LiteLLM 1.110.2, the oracles of the cross-check and the sources of
# Scripts/catalog, which reads LiteLLM's price map
# (model_prices_and_context_window_backup.json) from its wheel, kept in
# .build/oracles/wheels. Tally never needs Python.
tally_oracles="$tally_root/.build/oracles"
tally_litellm_wheel() {
    ls "$tally_oracles"/wheels/litellm-1.110.2-*.whl 2>/dev/null | head -n 1
}
# A venv at $1 (named $2 in messages), made once.
tally_venv() {
    if [ ! -x "$1/bin/python" ]; then
        echo "tally: creating the $2 venv in ${1#"$tally_root"/}" >&2
        mkdir -p "$tally_root/.build"
        tally_quietly python3 -m venv "$1"
    fi
}
# True when the Python at $1 has each of $2 ("name[extras]==version …") at that version.
tally_venv_has() {
    "$1" - "$2" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(any(version(n.split("[")[0]) != v for n, v in (p.split("==") for p in sys.argv[1].split())))
PY
}
tally_ensure_oracles() {
    local python="$tally_oracles/bin/python"
    tally_venv "$tally_oracles" price-source
    if ! "$python" -c 'import sys, genai_prices; sys.exit(genai_prices.__version__ != "0.2.3")' 2>/dev/null; then
        echo "tally: installing genai-prices==0.2.3 into .build/oracles" >&2
        tally_quietly "$python" -m pip install -q genai-prices==0.2.3
    fi
    if [ -z "$(tally_litellm_wheel)" ]; then
        echo "tally: downloading litellm==1.110.2 (its wheel only) into .build/oracles/wheels" >&2
        tally_quietly "$python" -m pip download -q --no-deps -d "$tally_oracles/wheels" litellm==1.110.2
    fi
    # The package itself, with its dependencies, for the cross-check's cost function.
    if ! "$python" -c 'import sys; from importlib.metadata import version; sys.exit(version("litellm") != "1.110.2")' 2>/dev/null; then
        echo "tally: installing litellm==1.110.2 into .build/oracles" >&2
        tally_quietly "$python" -m pip install -q --find-links "$tally_oracles/wheels" litellm==1.110.2
    fi
    export TALLY_CROSSCHECK_PYTHON="$python"
}

# The engines of issue 15's pushdown checks, in a venv of their own
# (.build/engines): DuckDB 2.0.0 (the Python module), the DuckDB 1.5.6 CLI
# (duckdb-cli puts a `duckdb` executable in the venv's bin), sqlglot 30.30.0
# (transpiles the Athena/Trino query for DuckDB) and PySpark 4.3.0 (a local
# Spark on the machine's Java 17; `spark-sql` and `spark-submit` land in the
# venv's bin). About 45 s from an empty venv with a cold pip cache (PySpark is a
# 456 MB sdist built into a wheel), 650 MB on disk. Tally never needs Python: the
# `duckdb` and `spark-sql` commands are what `tally usage --engine` runs.
tally_engines="$tally_root/.build/engines"
tally_ensure_engines() {
    local python="$tally_engines/bin/python"
    tally_venv "$tally_engines" engines
    local want="duckdb==2.0.0 duckdb-cli==1.5.6 sqlglot==30.30.0 pyspark==4.3.0"
    if ! tally_venv_has "$python" "$want"; then
        echo "tally: installing $want into .build/engines" >&2
        # shellcheck disable=SC2086
        tally_quietly "$python" -m pip install -q $want
    fi
    export TALLY_ENGINES_PYTHON="$python"
    export TALLY_ENGINES_BIN="$tally_engines/bin"
}

# The other price sources Scripts/bench measures Tally against, in a venv of
# their own (.build/bench-peers), pinned: genai-prices 0.2.3 with its command
# line's extras, tokencost 0.1.26 and LiteLLM 1.110.2. Each prices from the
# data in its own package (Scripts/lib/bench_peers.py tells LiteLLM to).
tally_bench_peers="$tally_root/.build/bench-peers"
tally_ensure_bench_peers() {
    local python="$tally_bench_peers/bin/python"
    tally_venv "$tally_bench_peers" bench-peers
    local want="genai-prices[cli]==0.2.3 tokencost==0.1.26 litellm==1.110.2"
    if ! tally_venv_has "$python" "$want" || ! "$python" -c 'import rich' 2>/dev/null; then
        echo "tally: installing $want into .build/bench-peers" >&2
        # shellcheck disable=SC2086
        tally_quietly "$python" -m pip install -q $want
    fi
    export TALLY_PEERS_PYTHON="$python"
}

# True when the release binary is missing or older than any source it is built from.
tally_release_is_stale() {
    local bin="$tally_root/.build/release/tally"
    [ -x "$bin" ] || return 0
    [ -n "$(find "$tally_root/Sources" "$tally_root/Package.swift" -newer "$bin" -print -quit)" ]
}

tally_build_release() {
    if tally_release_is_stale; then
        echo "tally: building the release binary (swift build -c release)" >&2
        local log
        log="$(mktemp)"
        # The binary `swift build -c release` makes: Package.swift links the
        # Swift runtime and FoundationEssentials into it statically.
        if ! swift build -c release --product tally --package-path "$tally_root" >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            return 1
        fi
        rm -f "$log"
        touch "$tally_root/.build/release/tally"
    fi
}
