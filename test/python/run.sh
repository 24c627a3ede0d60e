#!/usr/bin/env bash
# Python consumers: build the wheel, install it with examples/python/requirements.txt into a fresh
# virtualenv, synthesize the Python homelab (examples/python/) and the TypeScript homelab with
# `cdk8s synth`, and require every manifest and the Helm values file to be byte-identical. Then
# bad string values passed from Python must be refused at synth with the construct path, the
# field, the value and the fix, and no Python or JavaScript stack trace.
# pip keeps its downloads in its cache (~/.cache/pip), so reruns install offline-fast.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
# Both apps write to the same relative output directory (under their own cdk8s.yaml's directory),
# so the values file's header, which names the path, is the same too.
out=build/test-python-synth
trap 'rm -rf "$work" "$root/$out" "$root/examples/python/build"' EXIT
export CDK8S_CHECK_UPGRADE=false JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1" >&2; }

cd "$root"
bash scripts/python/package.sh
wheel=$(ls "$root"/build/packages/python/*.whl)
echo "wheel built (${SECONDS}s)"

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
  -r examples/python/requirements.txt "$wheel"
echo "installed $(basename "$wheel") and examples/python/requirements.txt into a fresh virtualenv (${SECONDS}s)"
export PATH="$work/venv/bin:$PATH"

npx cdk8s synth --output "$out" > "$work/ts.log" 2>&1 || { cat "$work/ts.log"; exit 1; }
(cd examples/python && npx cdk8s synth --output "$out") > "$work/py.log" 2>&1 || { cat "$work/py.log"; exit 1; }
mv "$out" "$work/ts" && mv "examples/python/$out" "$work/py"

# construct-metadata.json records construct paths for cdk8s's validation report: not an output.
manifests=$(cd "$work/ts" && find . -type f ! -name construct-metadata.json | sort)
if [ -z "$manifests" ]; then
  fail "the TypeScript homelab synthesized nothing"
elif diff -r -x construct-metadata.json "$work/ts" "$work/py" > "$work/diff.txt"; then
  pass "the Python homelab is byte-identical to the TypeScript homelab: $(echo $manifests | tr -d '\n')"
else
  head -40 "$work/diff.txt" >&2
  fail "the Python homelab differs from the TypeScript homelab"
fi

# The README's Python example, as printed there.
node -e '
  const readme = require("fs").readFileSync(process.argv[1], "utf8");
  const block = /## Python\n[\s\S]*?```python\n([\s\S]*?)```/.exec(readme);
  if (!block) { console.error("README: no Python example under ## Python"); process.exit(1); }
  process.stdout.write(block[1]);
' README.md > "$work/readme_app.py"
if (cd "$work" && CDK8S_OUTDIR="$work/readme-out" python3 readme_app.py > "$work/readme.log" 2>&1) &&
  grep -q 'kind: CiliumNetworkPolicy' "$work"/readme-out/*.k8s.yaml; then
  pass "the README's Python example synthesizes its IngressOnlyApp policy"
else
  cat "$work/readme.log" >&2
  fail "the README's Python example"
fi

# Each bad value: case name, then strings the refusal must contain.
check_refusal() {
  local case=$1
  shift
  local out="$work/bad-$case.log" status=0
  python3 test/python/bad_values.py "$case" "$work/bad-$case" > "$out" 2>&1 || status=$?
  local problems=()
  [ "$status" -ne 0 ] || problems+=("exit status 0")
  for expected in "$@"; do
    grep -qF -- "$expected" "$out" || problems+=("no '$expected'")
  done
  if grep -qE 'Traceback|^\s+at |\.js:[0-9]+|jsii\.errors' "$out"; then problems+=("a stack trace"); fi
  if [ -e "$work/bad-$case" ] && [ -n "$(ls -A "$work/bad-$case")" ]; then problems+=("files written"); fi
  if [ ${#problems[@]} -eq 0 ]; then
    pass "bad $case refused: $(head -c 300 "$out")"
  else
    cat "$out" >&2
    fail "bad $case: ${problems[*]}"
  fi
}
# A str where the L4Protocol enum is expected: the jsii runtime's type check, before any synth.
check_refusal protocol 'argument protocol' 'L4Protocol' 'got str'
check_refusal port-name 'bad/blog' 'ports[0].port' '"web_http"' 'Fix:'
check_refusal entity 'bad/blog' '"wrld"' 'Fix:'

echo "test:python took ${SECONDS}s"
echo "python: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
