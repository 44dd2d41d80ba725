# Shared set-up for Scripts/tally and Scripts/test: make sure the system
# packages Tally builds against are present. Sourced, not run.

tally_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

tally_apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "tally: please install: $*" >&2
        return 1
    fi
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "tally: installing $* with apt-get" >&2
    $sudo apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

tally_ensure_libedit() {
    if ! command -v pkg-config >/dev/null 2>&1; then
        tally_apt_install pkg-config
    fi
    if ! pkg-config --exists libedit; then
        tally_apt_install libedit-dev
    fi
}

# genai-prices 0.2.3 (PyPI), the oracle of the cross-check; Tally never needs Python.
tally_ensure_genai_prices() {
    if ! python3 -c 'import sys, genai_prices; sys.exit(genai_prices.__version__ != "0.2.3")' 2>/dev/null; then
        echo "tally: installing genai-prices==0.2.3 for the cross-check" >&2
        python3 -m pip install -q --root-user-action=ignore genai-prices==0.2.3 >&2
    fi
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
        # The Swift runtime and FoundationEssentials linked in statically, not
        # loaded and relocated as shared libraries at every start.
        if ! swift build -c release --static-swift-stdlib --product tally --package-path "$tally_root" >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            return 1
        fi
        rm -f "$log"
        touch "$tally_root/.build/release/tally"
    fi
}
