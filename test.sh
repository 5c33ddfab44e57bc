#!/usr/bin/env bash
# Builds the solution and runs every test project under tests/, then prints one summary line:
#   N passed, N failed
# It is the last line of the output. The exit code is non-zero when a project failed, when a project left
# no test results behind (crash, abort) or ran no test (without a filter), or when no test passed at all.
#
# Usage: ./test.sh [filter]
#   filter   optional, passed to `dotnet test --filter` (e.g. "FullyQualifiedName~SignInTests")
#
# On a fresh Debian machine it installs what the browser tests need (the distribution's chromium) when it
# is missing; everything else comes from NuGet.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"
filter="${1:-}"
results_root="$root/artifacts/test-results"
chromium="${CTDR_E2E_CHROMIUM:-/usr/bin/chromium}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

say() { printf '%s\n' "$*"; }

summary_and_exit() {
    say "$1 passed, $2 failed"
    exit "$3"
}

ensure_chromium() {
    if [[ -x "$chromium" ]]; then
        return 0
    fi

    say "Chromium is missing ($chromium); the browser tests need it."
    local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            apt=(sudo -n env DEBIAN_FRONTEND=noninteractive apt-get)
        else
            say "error: cannot install it: not root and no password-less sudo."
            say "Install it and run again:  sudo apt-get install chromium fonts-liberation"
            say "(or point CTDR_E2E_CHROMIUM at a Chromium executable)"
            return 1
        fi
    fi

    say "Installing Debian's chromium package..."
    "${apt[@]}" update -q
    # fonts-liberation: readable text in the screenshots saved for failed browser tests.
    "${apt[@]}" install -y -q --no-install-recommends chromium fonts-liberation
    if [[ ! -x "$chromium" ]]; then
        say "error: chromium was installed but $chromium does not exist."
        return 1
    fi
}

# The value of attribute $2 on the <Counters .../> element of TRX file $1 (0 when absent).
counter() {
    local value
    value="$(grep -o '<Counters [^>]*>' "$1" | head -n 1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || true)"
    printf '%s' "${value:-0}"
}

if ! command -v dotnet >/dev/null 2>&1; then
    say "error: the .NET SDK (dotnet) is not on PATH; see global.json for the version."
    summary_and_exit 0 0 1
fi

mapfile -t projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.csproj' | sort)
if [[ ${#projects[@]} -eq 0 ]]; then
    say "error: no test projects under tests/."
    summary_and_exit 0 0 1
fi

for project in "${projects[@]}"; do
    if [[ "$(basename "$project")" == *E2E* ]]; then
        ensure_chromium || summary_and_exit 0 0 1
        break
    fi
done

say "== Building Ctdr.Web.sln (Release)"
if ! dotnet build Ctdr.Web.sln -c Release -nologo; then
    say "error: the build failed; no tests were run."
    summary_and_exit 0 0 1
fi

rm -rf "$results_root" "$root/artifacts/e2e"
total_passed=0
total_failed=0
broken=0
declare -a lines=()

for project in "${projects[@]}"; do
    name="$(basename "$project" .csproj)"
    results="$results_root/$name"
    say ""
    say "== Testing $name"
    args=(test "$project" --no-build -c Release
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal"
        --results-directory "$results")
    if [[ -n "$filter" ]]; then
        args+=(--filter "$filter")
    fi

    status=0
    dotnet "${args[@]}" || status=$?

    trx="$results/$name.trx"
    if [[ ! -f "$trx" ]]; then
        lines+=("$name: FAILED, no test results (dotnet test exit code $status)")
        broken=1
        continue
    fi

    total="$(counter "$trx" total)"
    passed="$(counter "$trx" passed)"
    # Errors, time-outs and aborted tests did not pass either.
    failed=$(( $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted) ))
    total_passed=$(( total_passed + passed ))
    total_failed=$(( total_failed + failed ))

    if [[ $status -ne 0 || $failed -gt 0 ]]; then
        lines+=("$name: FAILED, $passed passed, $failed failed of $total (dotnet test exit code $status)")
        broken=1
    elif [[ $total -eq 0 && -z "$filter" ]]; then
        # Every test project has tests; one that runs none has lost them (a broken discovery, a bad merge).
        lines+=("$name: FAILED, no tests ran")
        broken=1
    elif [[ $total -eq 0 ]]; then
        lines+=("$name: no tests match the filter")
    else
        lines+=("$name: $passed passed, $failed failed of $total")
    fi
done

say ""
say "== Summary (TRX files under artifacts/test-results/)"
for line in "${lines[@]}"; do
    say "  $line"
done
if [[ -d "$root/artifacts/e2e" ]]; then
    say "  Browser test failures: screenshots, HTML and logs under artifacts/e2e/"
fi
if [[ $total_passed -eq 0 ]]; then
    say "  No test passed: nothing was tested."
    broken=1
fi

summary_and_exit "$total_passed" "$total_failed" "$broken"
